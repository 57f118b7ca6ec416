-- A user's activity over the last 30 days, newest first (the admin's "user details" page).
-- The actor is drawn uniformly, its tenant read by primary key.
\set aid random(1, :actors)
SELECT tenant_id AS tid FROM eventlog.actors WHERE id = :aid \gset
SELECT id, occurred_at, event_type, target_type, target_id, ip FROM eventlog.events WHERE tenant_id = :tid AND actor_id = :aid AND occurred_at > now() - interval '30 days' ORDER BY occurred_at DESC LIMIT 50;
