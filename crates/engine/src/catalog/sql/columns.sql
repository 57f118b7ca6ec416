-- Every column of every user relation, with its exact type as format_type() prints it.
SELECT /* indexpilot */ a.attrelid::int8                              AS table_oid,
       a.attnum                                      AS attnum,
       a.attname                                     AS name,
       format_type(a.atttypid, a.atttypmod)          AS data_type,
       CASE
           WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN 'array'
           WHEN t.typtype = 'b' THEN 'base'
           WHEN t.typtype = 'e' THEN 'enum'
           WHEN t.typtype = 'd' THEN 'domain'
           WHEN t.typtype = 'c' THEN 'composite'
           WHEN t.typtype IN ('r', 'm') THEN 'range'
           ELSE 'other'
       END                                           AS type_category,
       a.attnotnull                                  AS not_null,
       pg_get_expr(ad.adbin, ad.adrelid)             AS default_expr,
       NULLIF(a.attidentity, '')::text               AS identity,
       a.attgenerated <> ''                          AS generated,
       ds.description                                AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass
                           AND ds.objsubid = a.attnum
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
  AND n.nspname NOT LIKE 'pg\_%'
-- Columns of extension-owned relations are dropped in Rust: only relations listed by
-- relations.sql keep their columns, which saves an anti-join over every column here.
ORDER BY a.attrelid, a.attnum
