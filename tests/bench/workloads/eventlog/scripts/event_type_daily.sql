-- The tenant's activity chart: events per day and event type over the last 14 days.
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT date_trunc('day', occurred_at) AS day, event_type, count(*) AS events FROM eventlog.events WHERE tenant_id = :tid AND occurred_at > now() - interval '14 days' GROUP BY date_trunc('day', occurred_at), event_type ORDER BY day, event_type;
