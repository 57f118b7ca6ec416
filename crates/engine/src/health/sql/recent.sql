-- Indexes IndexPilot built for the recent partitions of a table only (the proposal's
-- `why.recent`), still current: the change that built each.
SELECT /* indexpilot */ v.index_schema, v.index_name, m.id AS change_id
FROM indexpilot.index_versions v
JOIN indexpilot.mutation_log m ON m.id = v.mutation_id
WHERE v.valid_to IS NULL
  AND m.kind = 'index_create'
  AND jsonb_typeof(m.details_json -> 'why' -> 'recent') = 'object'
