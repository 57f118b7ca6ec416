-- Every worker reports that it is alive (a primary-key update, HOT: no index covers it).
\set w random(1, :workers)
UPDATE jobs.workers SET last_heartbeat_at = now() WHERE id = :w;
