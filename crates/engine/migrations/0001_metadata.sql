-- IndexPilot metadata, version 1.
-- Everything lives in schema indexpilot. Nothing here has a foreign key into a business table:
-- business tables are referred to by name (schema + table + column), so dropping or
-- rewriting them never blocks on, or cascades into, IndexPilot.

-- Policy and thresholds shared by the whole team (tenant key, budgets, windows).
CREATE TABLE indexpilot.settings (
    key         text PRIMARY KEY,
    value       jsonb NOT NULL,
    updated_by  text NOT NULL DEFAULT current_user,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The genome: one row per field, keyed by schema + table + column.
CREATE TABLE indexpilot.genome_catalog (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schema_name         text NOT NULL,
    table_name          text NOT NULL,
    field_name          text NOT NULL,
    field_type          text NOT NULL,            -- exact, as format_type() prints it
    type_category       text NOT NULL DEFAULT 'base'
                        CHECK (type_category IN ('base', 'enum', 'domain', 'array', 'composite', 'range', 'other')),
    ordinal_position    smallint,
    is_required         boolean NOT NULL DEFAULT false,
    is_primary_key      boolean NOT NULL DEFAULT false,
    -- curated flags (the original vocabulary)
    is_indexable        boolean NOT NULL DEFAULT true,
    default_expression  boolean NOT NULL DEFAULT true,
    feature_group       text NOT NULL DEFAULT 'core',
    -- which curated flags a person set: discovery never overwrites these
    curated_flags       text[] NOT NULL DEFAULT '{}',
    curated_by          text,
    curated_at          timestamptz,
    table_kind          text NOT NULL
                        CHECK (table_kind IN ('table', 'partitioned', 'partition', 'view', 'matview', 'foreign')),
    -- identity hints used only to recognise renames; never keys
    table_oid           oid,
    attnum              smallint,
    description         text,
    first_seen_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz NOT NULL DEFAULT now(),
    removed_at          timestamptz,              -- soft delete keeps history and curation
    CONSTRAINT genome_catalog_field_key UNIQUE (schema_name, table_name, field_name)
);
CREATE INDEX genome_catalog_group_idx ON indexpilot.genome_catalog (feature_group) WHERE removed_at IS NULL;

-- Per-tenant activation of fields. Effective state = this row, else genome.default_expression.
CREATE TABLE indexpilot.expression_profile (
    tenant_id   text NOT NULL,                    -- tenant keys are not always integers
    field_id    bigint NOT NULL REFERENCES indexpilot.genome_catalog (id) ON DELETE CASCADE,
    is_enabled  boolean NOT NULL,
    changed_by  text NOT NULL DEFAULT current_user,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    reason      text,
    PRIMARY KEY (tenant_id, field_id)
);
CREATE INDEX expression_profile_field_idx ON indexpilot.expression_profile (field_id);

-- Every decision and change, append-only. A change with a life (an index build) is a chain
-- of transitions linked by parent_id; its current state is its latest transition.
CREATE TABLE indexpilot.mutation_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind            text NOT NULL CHECK (kind IN (
                        'init', 'genome_bootstrap', 'schema_change', 'flag_edit',
                        'field_enable', 'field_disable', 'policy_change',
                        'index_create', 'index_drop')),
    status          text CHECK (status IN (
                        'proposed', 'approved', 'applying', 'applied', 'failed',
                        'rolling_back', 'rolled_back', 'rejected', 'superseded')),
    parent_id       bigint REFERENCES indexpilot.mutation_log (id),
    actor_role      text NOT NULL DEFAULT current_user,
    actor_os_user   text,
    schema_name     text,
    table_name      text,
    field_name      text,
    tenant_id       text,
    ddl             text,
    details_json    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX mutation_log_occurred_at_idx ON indexpilot.mutation_log (occurred_at);
CREATE INDEX mutation_log_kind_idx ON indexpilot.mutation_log (kind, occurred_at);
CREATE INDEX mutation_log_parent_idx ON indexpilot.mutation_log (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX mutation_log_table_idx ON indexpilot.mutation_log (schema_name, table_name, occurred_at);
CREATE INDEX mutation_log_tenant_idx ON indexpilot.mutation_log (tenant_id, occurred_at) WHERE tenant_id IS NOT NULL;

CREATE FUNCTION indexpilot.mutation_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'indexpilot.mutation_log is append-only'
        USING HINT = 'record a new transition instead of changing an old one';
END
$$;
CREATE TRIGGER mutation_log_append_only BEFORE UPDATE ON indexpilot.mutation_log
    FOR EACH ROW EXECUTE FUNCTION indexpilot.mutation_log_is_append_only();

-- Statement texts, once per fingerprint, with the parsed analysis cached beside them.
CREATE TABLE indexpilot.statements (
    queryid         bigint PRIMARY KEY,           -- pg_stat_statements.queryid
    query           text NOT NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    analysis        jsonb,
    analysed_at     timestamptz,
    analyser_version integer
);

-- The workload: interval deltas from pg_stat_statements and rows logged by host applications.
-- No foreign key into business tables: names only.
CREATE TABLE indexpilot.query_stats (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text NOT NULL CHECK (source IN ('pg_stat_statements', 'host')),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- pg_stat_statements deltas
    queryid         bigint,
    userid          oid,
    toplevel        boolean,
    interval_start  timestamptz,
    interval_end    timestamptz,
    calls           bigint,
    total_exec_ms   double precision,
    mean_exec_ms    double precision,
    rows            bigint,
    shared_blks_hit bigint,
    shared_blks_read bigint,
    -- host application rows
    tenant_id       text,
    schema_name     text,
    table_name      text,
    field_name      text,
    query_type      text,
    duration_ms     double precision,
    CONSTRAINT query_stats_pgss_shape CHECK (source <> 'pg_stat_statements'
        OR (queryid IS NOT NULL AND interval_start IS NOT NULL AND interval_end IS NOT NULL AND calls IS NOT NULL)),
    CONSTRAINT query_stats_host_shape CHECK (source <> 'host'
        OR (table_name IS NOT NULL AND duration_ms IS NOT NULL))
);
CREATE INDEX query_stats_recorded_at_idx ON indexpilot.query_stats (recorded_at);
CREATE INDEX query_stats_queryid_idx ON indexpilot.query_stats (queryid, interval_end) WHERE queryid IS NOT NULL;
CREATE INDEX query_stats_host_table_idx ON indexpilot.query_stats (schema_name, table_name, recorded_at) WHERE source = 'host';

-- Every definition an index IndexPilot touched has had, so any version can be re-created.
CREATE TABLE indexpilot.index_versions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    index_schema    text NOT NULL,
    index_name      text NOT NULL,
    table_schema    text NOT NULL,
    table_name      text NOT NULL,
    definition      text NOT NULL,                -- full CREATE INDEX text
    size_bytes      bigint,
    mutation_id     bigint REFERENCES indexpilot.mutation_log (id),
    valid_from      timestamptz NOT NULL DEFAULT now(),
    valid_to        timestamptz
);
CREATE INDEX index_versions_name_idx ON indexpilot.index_versions (index_schema, index_name, valid_from);
CREATE INDEX index_versions_mutation_idx ON indexpilot.index_versions (mutation_id);

-- Validation of applied changes: affected statements before vs after.
CREATE TABLE indexpilot.ab_experiments (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mutation_id             bigint NOT NULL REFERENCES indexpilot.mutation_log (id),
    status                  text NOT NULL DEFAULT 'baseline'
                            CHECK (status IN ('baseline', 'waiting', 'measuring', 'done', 'cancelled')),
    affected_queryids       bigint[] NOT NULL DEFAULT '{}',
    baseline_start          timestamptz,
    baseline_end            timestamptz,
    post_start              timestamptz,
    post_end                timestamptz,
    write_rate_before       double precision,
    write_rate_after        double precision,
    hot_ratio_before        double precision,
    hot_ratio_after         double precision,
    verdict                 text CHECK (verdict IN ('improved', 'regressed', 'inconclusive')),
    verdict_json            jsonb NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ab_experiments_mutation_idx ON indexpilot.ab_experiments (mutation_id);
CREATE INDEX ab_experiments_created_at_idx ON indexpilot.ab_experiments (created_at);

CREATE TABLE indexpilot.ab_experiment_results (
    experiment_id       bigint NOT NULL REFERENCES indexpilot.ab_experiments (id) ON DELETE CASCADE,
    queryid             bigint NOT NULL,
    phase               text NOT NULL CHECK (phase IN ('baseline', 'post')),
    calls               bigint NOT NULL,
    mean_exec_ms        double precision,
    shared_blks_read    bigint,
    samples             integer NOT NULL,
    PRIMARY KEY (experiment_id, queryid, phase)
);
