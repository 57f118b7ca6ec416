-- IndexPilot metadata, version 2: the workload collector.

-- The last pg_stat_statements counters seen, per statement, so that each collection stores
-- only what happened since the previous one. Replaced on every collection.
CREATE TABLE indexpilot.pgss_snapshot (
    queryid          bigint NOT NULL,
    userid           oid NOT NULL,
    toplevel         boolean NOT NULL,
    calls            bigint NOT NULL,
    total_exec_ms    double precision NOT NULL,
    rows             bigint NOT NULL,
    shared_blks_hit  bigint NOT NULL,
    shared_blks_read bigint NOT NULL,
    PRIMARY KEY (queryid, userid, toplevel)
);

-- One row: when the snapshot was taken and which pg_stat_statements reset it belongs to.
CREATE TABLE indexpilot.collector_state (
    id                 boolean PRIMARY KEY DEFAULT true CHECK (id),
    captured_at        timestamptz NOT NULL,
    pgss_stats_reset   timestamptz,          -- pg_stat_statements_info.stats_reset (PostgreSQL 14+)
    pgss_dealloc       bigint                -- entries evicted so far (PostgreSQL 14+)
);

-- Per-interval activity of each table (writes, HOT updates, scans) for write overhead and
-- validation.
CREATE TABLE indexpilot.table_stats (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schema_name     text NOT NULL,
    table_name      text NOT NULL,
    interval_start  timestamptz NOT NULL,
    interval_end    timestamptz NOT NULL,
    seq_scan        bigint NOT NULL,
    idx_scan        bigint NOT NULL,
    n_tup_ins       bigint NOT NULL,
    n_tup_upd       bigint NOT NULL,
    n_tup_del       bigint NOT NULL,
    n_tup_hot_upd   bigint NOT NULL
);
CREATE INDEX table_stats_time_idx ON indexpilot.table_stats (interval_end);
CREATE INDEX table_stats_table_idx ON indexpilot.table_stats (schema_name, table_name, interval_end);

CREATE TABLE indexpilot.table_stats_snapshot (
    relid           oid PRIMARY KEY,
    schema_name     text NOT NULL,
    table_name      text NOT NULL,
    seq_scan        bigint NOT NULL,
    idx_scan        bigint NOT NULL,
    n_tup_ins       bigint NOT NULL,
    n_tup_upd       bigint NOT NULL,
    n_tup_del       bigint NOT NULL,
    n_tup_hot_upd   bigint NOT NULL
);

-- The host-application contract: applications that know the tenant log their own queries
-- here (tenant may be NULL). Documented in the README.
CREATE FUNCTION indexpilot.log_query_stat(
    p_tenant_id text,
    p_schema_name text,
    p_table_name text,
    p_field_name text,
    p_query_type text,
    p_duration_ms double precision
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO indexpilot.query_stats (source, tenant_id, schema_name, table_name, field_name, query_type, duration_ms)
    VALUES ('host', p_tenant_id, COALESCE(p_schema_name, 'public'), p_table_name, p_field_name, p_query_type, p_duration_ms);
$$;
