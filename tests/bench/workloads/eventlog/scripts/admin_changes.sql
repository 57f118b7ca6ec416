-- The tenant's "admin changes" filter: the last 50 events of the admin category over 30
-- days; the category is on event_types, joined by code (3% of events are admin events).
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT e.occurred_at, e.event_type, e.actor_id, e.target_type, e.target_id, e.payload FROM eventlog.events e JOIN eventlog.event_types t ON t.code = e.event_type WHERE e.tenant_id = :tid AND t.category = 'admin' AND e.occurred_at > now() - interval '30 days' ORDER BY e.occurred_at DESC LIMIT 50;
