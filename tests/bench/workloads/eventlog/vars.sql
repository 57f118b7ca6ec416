-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row (events: request_lookup derives a loaded event's request id from its id).
-- Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'tenants=' || (SELECT max(id) FROM eventlog.tenants)),
    (2, 'actors=' || (SELECT max(id) FROM eventlog.actors)),
    (3, 'events=' || (SELECT max(id) FROM eventlog.events)),
    (4, 'audit_exports=' || (SELECT max(id) FROM eventlog.audit_exports))
) AS vars (n, v)
ORDER BY n;
