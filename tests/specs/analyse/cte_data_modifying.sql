-- A DELETE in a CTE feeding an INSERT.
WITH moved AS (DELETE FROM orders WHERE status = 'cancelled' AND created_at < $1 RETURNING id, user_id)
INSERT INTO events (user_id, kind) SELECT user_id, 'order_removed' FROM moved
