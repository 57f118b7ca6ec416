-- An aggregate or window function is no index expression: ORDER BY sum(total) reads total.
SELECT user_id, sum(total) FROM orders GROUP BY user_id ORDER BY sum(total) DESC, count(*) OVER () LIMIT 10
