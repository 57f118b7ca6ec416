-- One customer's usage on one day, the day passed by the client as a date (a calendar
-- picker): BETWEEN $d::date AND $d::date + interval '1 day'. A customer and day of a
-- recent record, scoped to its account as every tenant query is.
\set uid :usage_records - random_exponential(0, :usage_records - 1, 5.0)
SELECT account_id AS aid, customer_id AS cid, created_at::date AS day FROM reporting.usage_records WHERE id = :uid \gset
SELECT metric, count(*) AS records, sum(quantity) AS units, min(created_at) AS first_seen, max(created_at) AS last_seen FROM reporting.usage_records WHERE account_id = :aid AND customer_id = :cid AND created_at BETWEEN :day::date AND :day::date + interval '1 day' GROUP BY metric ORDER BY metric;
