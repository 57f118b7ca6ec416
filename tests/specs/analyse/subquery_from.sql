-- A subquery in FROM: its plain columns lead back, its computed ones do not.
SELECT s.user_id, s.n FROM (SELECT user_id, count(*) AS n FROM orders WHERE status = $1 GROUP BY user_id) s WHERE s.n > 10 ORDER BY s.n DESC, s.user_id
