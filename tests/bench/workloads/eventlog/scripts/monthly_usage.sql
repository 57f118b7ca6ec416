-- Trap: the billing meter, events and stored payload bytes per tenant since the start of the
-- month. date_trunc('month', now()) is the current partition's lower bound, so pruning leaves
-- that one partition and the filter keeps every row of it; the payload is read for every
-- row: a sequential scan of the partition is the best plan, and no index can cover it.
SELECT tenant_id, count(*) AS events, sum(pg_column_size(payload)) AS payload_bytes FROM eventlog.events WHERE occurred_at >= date_trunc('month', now()) GROUP BY tenant_id ORDER BY tenant_id;
