-- DISTINCT ON reads; the ORDER BY that goes with it is the index order.
SELECT DISTINCT ON (user_id) user_id, id FROM orders ORDER BY user_id, created_at DESC
