-- Three tables, a LEFT JOIN with a filter in ON.
SELECT u.email, o.id, i.quantity FROM users u JOIN orders o ON o.user_id = u.id LEFT JOIN order_items i ON i.order_id = o.id AND i.quantity > 0 WHERE u.tenant_id = $1
