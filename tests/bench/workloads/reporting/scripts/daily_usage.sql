-- Usage dashboard of one account: records and units per day and metric over the last 30
-- days, the window written inline (pg_stat_statements shows `interval $2`). Big accounts
-- are looked at most (account ids drawn with the skew of schema.sql).
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT date_trunc('day', created_at) AS day, metric, count(*) AS records, sum(quantity) AS units FROM reporting.usage_records WHERE account_id = :aid AND created_at >= now() - interval '30 days' GROUP BY 1, 2 ORDER BY 1, 2;
