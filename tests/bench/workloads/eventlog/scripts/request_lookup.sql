-- Support pastes the request id of an error report: the event it belongs to, any tenant, no
-- time bound (every partition is searched). Loaded events carry 'req_' ||
-- left(md5(id::text), 20) (see schema.sql); recent requests are looked up most.
\set eid :events - random_exponential(0, :events - 1, 4.0)
SELECT 'req_' || left(md5(:eid::text), 20) AS rid \gset
SELECT id, tenant_id, actor_id, event_type, target_type, target_id, occurred_at, payload, ip FROM eventlog.events WHERE payload ->> 'request_id' = :rid;
