-- Existing indexes with their full definition, each key/INCLUDE column as text (expressions
-- included), predicate, validity and size (from relpages: no lock is taken).
SELECT /* indexpilot */ i.indexrelid::int8                            AS oid,
       i.indrelid::int8                              AS table_oid,
       n.nspname                                     AS schema_name,
       ic.relname                                    AS name,
       am.amname                                     AS method,
       i.indisunique                                 AS is_unique,
       i.indisprimary                                AS is_primary,
       i.indisvalid                                  AS is_valid,
       i.indisready                                  AS is_ready,
       pg_get_indexdef(i.indexrelid)                 AS definition,
       i.indnkeyatts::int4                           AS key_count,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnatts) k
             ORDER BY k)                             AS column_defs,
       pg_get_expr(i.indpred, i.indrelid)            AS predicate,
       i.indexprs IS NOT NULL                        AS has_expressions,
       ic.relpages::int8 * current_setting('block_size')::int8 AS size_bytes,
       con.conname                                   AS constraint_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY i.indrelid, ic.relname
