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

-- Size and scans of every index IndexPilot manages (a current row in index_versions), taken
-- with each collection: the history behind an applied change's index chart.
CREATE TABLE indexpilot.index_stats (
    index_schema    text NOT NULL,
    index_name      text NOT NULL,
    captured_at     timestamptz NOT NULL,
    size_bytes      bigint NOT NULL,
    idx_scan        bigint NOT NULL,
    PRIMARY KEY (index_schema, index_name, captured_at)
);
