-- Enum types in user schemas with their labels in sort order (for type generation).
SELECT /* indexpilot */ n.nspname                                     AS schema_name,
       t.typname                                     AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY n.nspname, t.typname
