-- Scans per index since the statistics were last reset, and whether the index is a
-- partition's part of a partitioned index (those cannot be dropped on their own).
SELECT /* indexpilot */ s.schemaname::text                            AS schema_name,
       s.indexrelname::text                          AS index_name,
       s.idx_scan::int8                              AS scans,
       EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = s.indexrelid) AS attached
FROM pg_stat_user_indexes s
