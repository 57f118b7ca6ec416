-- The "events today" counter on the tenant's dashboard: since midnight (session time zone).
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT count(*) AS events FROM eventlog.events WHERE tenant_id = :tid AND occurred_at >= date_trunc('day', now());
