-- A MATERIALIZED CTE is scanned whole: the outer filter reaches no index inside it.
WITH m AS MATERIALIZED (SELECT id, status FROM orders WHERE user_id = $1)
SELECT id FROM m WHERE status = 'open' ORDER BY id
