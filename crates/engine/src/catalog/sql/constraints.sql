-- Primary, unique and foreign keys, with their columns in key order.
SELECT /* indexpilot */ con.conrelid::int8                            AS table_oid,
       con.conname                                   AS name,
       con.contype::text                             AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord)                         AS columns,
       fn.nspname                                    AS ref_schema,
       fc.relname                                    AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord)                         AS ref_columns,
       pg_get_constraintdef(con.oid)                 AS definition,
       con.convalidated                              AS validated
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY con.conrelid, con.conname
