-- Payment callback for one of the last ~5,000 loaded orders (30% of the last three days'
-- orders are pending): 95% succeed, 5% fail. Orders no longer pending are left alone.
\set oid :orders - random(0, 5000)
\set r random(1, 100)
SELECT CASE WHEN :r <= 95 THEN 'completed' ELSE 'failed' END AS status \gset
UPDATE analytics.orders SET status = :status WHERE id = :oid AND status = 'pending';
