-- INNER JOIN USING: a filter on the merged column applies to both sides.
SELECT kind FROM orders JOIN events USING (user_id) WHERE user_id = $1
