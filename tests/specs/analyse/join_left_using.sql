-- LEFT JOIN USING: a join key on both; the merged column is the left one.
SELECT user_id, count(*) FROM orders LEFT JOIN events USING (user_id) WHERE user_id = $1 GROUP BY user_id
