-- Every user relation that holds or shows rows, in one read. Sizes come from relpages (as of
-- the last VACUUM/ANALYZE) rather than pg_relation_size(), which would take a lock on every
-- relation in the database. Comments are joined from pg_description rather than read with
-- obj_description(), a SQL function whose own untagged query pg_stat_statements records as
-- workload (track = all, PostgreSQL 13).
SELECT /* indexpilot */ c.oid::int8                                   AS oid,
       n.nspname                                     AS schema_name,
       c.relname                                     AS name,
       CASE
           WHEN c.relispartition THEN 'partition'
           WHEN c.relkind = 'p' THEN 'partitioned'
           WHEN c.relkind = 'v' THEN 'view'
           WHEN c.relkind = 'm' THEN 'matview'
           WHEN c.relkind = 'f' THEN 'foreign'
           ELSE 'table'
       END                                           AS kind,
       pn.nspname                                    AS parent_schema,
       pc.relname                                    AS parent_name,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate,
       c.relpages::int8 * current_setting('block_size')::int8 AS table_bytes,
       (c.relpages::int8 + COALESCE(t.relpages, 0)::int8) * current_setting('block_size')::int8
           + COALESCE((SELECT sum(ic.relpages)::int8 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                       WHERE i.indrelid = c.oid), 0) * current_setting('block_size')::int8
                                                     AS total_bytes,
       ds.description                                AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
  AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
