-- 2% of orders failed: a selective filter written as a literal, as an application would.
\set days random(1, 14)
SELECT now() - make_interval(days => :days) AS since \gset
SELECT id, customer_id, total, created_at FROM analytics.orders WHERE status = 'failed' AND created_at >= :since ORDER BY created_at DESC LIMIT 50;
