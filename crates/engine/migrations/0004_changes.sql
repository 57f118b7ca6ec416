-- IndexPilot metadata, version 4: applying changes.
-- A validation verdict is an entry of its own (kind 'validation'), a child of the change it
-- judges; it has no status, so the change's state stays its latest transition.
ALTER TABLE indexpilot.mutation_log DROP CONSTRAINT mutation_log_kind_check;
ALTER TABLE indexpilot.mutation_log ADD CONSTRAINT mutation_log_kind_check CHECK (kind IN (
    'init', 'genome_bootstrap', 'schema_change', 'flag_edit',
    'field_enable', 'field_disable', 'policy_change',
    'index_create', 'index_drop', 'validation'));

-- Lookups of a change's transitions and of the index versions still current.
CREATE INDEX index_versions_current_idx ON indexpilot.index_versions (index_schema, index_name)
    WHERE valid_to IS NULL;
