-- The history of one document, newest first (first page): no time window, so no partition
-- is pruned. Documents are numbered by owner (target_id = owner actor * 100 + 0..49, low
-- numbers busier, see schema.sql); the owner is drawn uniformly and its tenant read by
-- primary key.
\set aid random(1, :actors)
\set doc :aid * 100 + int(50 * pow(random(0, 999999) / 1000000.0, 2))
SELECT tenant_id AS tid FROM eventlog.actors WHERE id = :aid \gset
SELECT id, occurred_at, actor_id, event_type, payload FROM eventlog.events WHERE tenant_id = :tid AND target_type = 'document' AND target_id = :doc ORDER BY occurred_at DESC LIMIT 50;
