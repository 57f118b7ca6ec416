-- A CTE column that computes an expression carries it to the outer filter.
WITH e AS (SELECT id, lower(email) AS email_lc FROM users)
SELECT id FROM e WHERE email_lc = $1
