-- A CTE column leads back to its table.
WITH recent AS (SELECT id, user_id, created_at FROM orders WHERE created_at > $1)
SELECT r.id FROM recent r JOIN users u ON u.id = r.user_id WHERE u.status = 'active' ORDER BY r.created_at
