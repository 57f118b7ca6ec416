-- Scans per index since the statistics were last reset, and whether the index is a
-- partition's part of a partitioned index (those cannot be dropped on their own). A
-- partitioned table's index has no counters of its own: its scans are its leaf partitions'
-- parts', summed, so that it is judged as the one index it is.
SELECT /* indexpilot */ s.schemaname::text                            AS schema_name,
       s.indexrelname::text                          AS index_name,
       s.idx_scan::int8                              AS scans,
       EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = s.indexrelid) AS attached
FROM pg_stat_user_indexes s
UNION ALL
SELECT n.nspname::text, c.relname::text,
       (SELECT sum(s.idx_scan)::int8 FROM pg_partition_tree(c.oid) t
        JOIN pg_stat_user_indexes s ON s.indexrelid = t.relid WHERE t.isleaf),
       EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = c.oid)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'I' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_stat_user_indexes x WHERE x.indexrelid = c.oid)
