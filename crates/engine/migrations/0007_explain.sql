-- IndexPilot metadata, version 7: the what-if session's EXPLAINs run inside this function.
-- pg_stat_statements keys a utility statement by its text before PostgreSQL 16, so every
-- `EXPLAIN … EXECUTE indexpilot_whatif_12('a', 20)` the advisor sends would be an entry of
-- its own: thousands per run, evicting the application's statements from
-- pg_stat_statements.max. Called as `SELECT indexpilot.explain($1)`, they are one entry
-- (the EXPLAIN inside is a nested statement, which the default `track = top` ignores).
-- SECURITY INVOKER: it runs only what its caller could run directly, and refuses anything
-- that does not start as the advisor's plain EXPLAIN (FORMAT JSON) does (no ANALYZE).
CREATE FUNCTION indexpilot.explain(statement text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    IF statement !~* '^\s*EXPLAIN\s*\(\s*FORMAT\s+JSON\s*\)\s' THEN
        RAISE EXCEPTION 'indexpilot.explain runs EXPLAIN (FORMAT JSON) only';
    END IF;
    EXECUTE statement INTO plan;
    RETURN plan;
END
$$;
