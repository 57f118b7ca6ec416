-- The tenant's members page: each actor's last sign-in (time and address) over the year the
-- log keeps, DISTINCT ON (actor_id) with the newest first within each actor.
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT DISTINCT ON (actor_id) actor_id, occurred_at AS last_login_at, ip FROM eventlog.events WHERE tenant_id = :tid AND event_type = 'login' ORDER BY actor_id, occurred_at DESC;
