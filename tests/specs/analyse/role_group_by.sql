-- GROUP BY a column and a select-list position holding an expression.
SELECT status, date_trunc('day', created_at) AS day, count(*) FROM orders GROUP BY status, 2 HAVING count(*) > $1
