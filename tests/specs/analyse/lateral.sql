-- LATERAL sees the items before it: the correlation is a join key.
SELECT u.id, last.id FROM users u CROSS JOIN LATERAL (SELECT o.id FROM orders o WHERE o.user_id = u.id ORDER BY o.created_at DESC LIMIT 1) last
