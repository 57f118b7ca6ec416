-- Brute-force detection, across tenants: addresses with three or more failed sign-ins in the
-- last hour (half of the failures come from four attacking addresses, see schema.sql).
SELECT ip, count(*) AS failures, count(DISTINCT actor_id) AS accounts, min(occurred_at) AS first_seen FROM eventlog.events WHERE event_type = 'login_failed' AND occurred_at > now() - interval '1 hour' GROUP BY ip HAVING count(*) >= 3 ORDER BY failures DESC;
