-- The columns' types and everything they are built from: array elements and domain base
-- types, followed to the bottom; enum labels in their declared order. `sql_name` is how
-- the server names the type in this session (schema-qualified unless on the search path),
-- which is the name a client library asks the server for.
WITH RECURSIVE used(oid) AS (
    SELECT DISTINCT u.oid::oid FROM unnest($1::int8[]) AS u(oid)
  UNION
    SELECT x.oid
    FROM used
    JOIN pg_type t ON t.oid = used.oid
    CROSS JOIN LATERAL (VALUES (t.typelem), (t.typbasetype)) AS x(oid)
    WHERE x.oid <> 0
)
SELECT /* indexpilot */ t.oid::int8                  AS oid,
       tn.nspname                                    AS schema_name,
       t.typname::text                               AS name,
       t.oid::regtype::text                          AS sql_name,
       t.typtype::text                               AS kind,
       t.typcategory::text                           AS category,
       t.typelem::int8                               AS elem,
       t.typbasetype::int8                           AS base,
       t.typnotnull                                  AS not_null,
       CASE WHEN t.typtype = 'e' THEN
           ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                 WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
       END                                           AS labels
FROM used
JOIN pg_type t ON t.oid = used.oid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
