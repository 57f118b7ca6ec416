-- pg_stat_statements truncates long texts (track_activity_query_size).
SELECT id FROM users WHERE email = $1 AND (status = $2 OR
