-- The tenant's security panel: failed sign-ins and second factors of the last 24 hours
-- (2% of events, an IN list of literals), with the account's email.
\set tid least(:tenants, 1 + int(:tenants * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT e.occurred_at, e.event_type, e.actor_id, a.email, e.ip FROM eventlog.events e JOIN eventlog.actors a ON a.id = e.actor_id WHERE e.tenant_id = :tid AND e.event_type IN ('login_failed', 'mfa_failed') AND e.occurred_at > now() - interval '24 hours' ORDER BY e.occurred_at DESC;
