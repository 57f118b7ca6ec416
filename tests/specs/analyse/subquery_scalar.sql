-- Scalar subqueries: correlated in the select list, a value in WHERE.
SELECT u.id, (SELECT max(o.created_at) FROM orders o WHERE o.user_id = u.id) AS last_order FROM users u WHERE u.created_at > (SELECT min(created_at) FROM orders)
