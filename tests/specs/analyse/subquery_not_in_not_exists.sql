-- NOT IN reads; NOT EXISTS is still a join inside.
SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders) AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = users.id)
