-- Low customer ids order most (see schema.sql), and are looked at most.
\set cid random_exponential(1, :customers, 3.0)
SELECT id, status, total, created_at FROM analytics.orders WHERE customer_id = :cid ORDER BY created_at DESC LIMIT 10;
