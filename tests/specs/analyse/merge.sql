-- MERGE: the ON condition is a join; WHEN clauses say how the target is written.
MERGE INTO counters c USING (VALUES ($1, $2)) AS v(key, value) ON c.key = v.key
WHEN MATCHED THEN UPDATE SET value = c.value + v.value
WHEN NOT MATCHED THEN INSERT (key, value) VALUES (v.key, v.value)
