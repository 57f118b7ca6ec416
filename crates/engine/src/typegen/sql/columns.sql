-- Columns of the chosen schemas' tables, views, materialized views and foreign tables.
-- Partitions are left out (their parent has the same columns), and so are relations that
-- belong to an extension (pg_stat_statements' views live in public).
SELECT /* indexpilot */ n.nspname                    AS schema_name,
       c.relname                                     AS table_name,
       c.relkind::text                               AS kind,
       a.attnum                                      AS attnum,
       a.attname                                     AS column_name,
       a.attnotnull                                  AS not_null,
       a.atttypid::int8                              AS type_oid,
       a.atthasdef                                   AS has_default,
       a.attidentity::text                           AS identity,
       a.attgenerated::text                          AS generated
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition
  AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
