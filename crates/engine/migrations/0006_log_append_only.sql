-- IndexPilot metadata, version 6: the mutation log is append-only against DELETE and
-- TRUNCATE too, not only UPDATE: a change's history (what was proposed, approved, built and
-- rolled back, by whom) is never rewritten by removing rows either.
CREATE TRIGGER mutation_log_no_delete BEFORE DELETE ON indexpilot.mutation_log
    FOR EACH ROW EXECUTE FUNCTION indexpilot.mutation_log_is_append_only();
CREATE TRIGGER mutation_log_no_truncate BEFORE TRUNCATE ON indexpilot.mutation_log
    FOR EACH STATEMENT EXECUTE FUNCTION indexpilot.mutation_log_is_append_only();
