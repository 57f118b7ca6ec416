-- ORDER BY with position and direction.
SELECT id, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 20
