-- An audit export being written: one tenant's events of one whole calendar month, in time
-- order. The export (tenant and period, bound as parameters) is read by primary key; its
-- month is exactly one partition. Big tenants export most (tenants 1-50 every month).
\set xid random(1, :audit_exports)
SELECT tenant_id AS tid, period_start AS ps, period_end AS pe FROM eventlog.audit_exports WHERE id = :xid \gset
SELECT id, occurred_at, actor_id, event_type, target_type, target_id, payload, ip FROM eventlog.events WHERE tenant_id = :tid AND occurred_at >= :ps AND occurred_at < :pe ORDER BY occurred_at;
