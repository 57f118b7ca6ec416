-- The tenant's audit log page: its last 100 events of the past week, newest first, with the
-- actor's name. Tenants are drawn with the skew of schema.sql (low ids are big), so they are
-- viewed in proportion to their size.
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT e.id, e.occurred_at, e.event_type, e.target_type, e.target_id, e.ip, a.display_name FROM eventlog.events e JOIN eventlog.actors a ON a.id = e.actor_id WHERE e.tenant_id = :tid AND e.occurred_at > now() - interval '7 days' ORDER BY e.occurred_at DESC LIMIT 100;
