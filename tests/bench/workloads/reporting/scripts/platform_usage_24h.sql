-- Operations dashboard across all tenants: usage per metric over the last 24 hours (~2%
-- of the records, the newest, at the end of the append-only table).
SELECT metric, count(*) AS records, sum(quantity) AS units, count(DISTINCT account_id) AS accounts FROM reporting.usage_records WHERE created_at >= now() - interval '24 hours' GROUP BY metric ORDER BY units DESC;
