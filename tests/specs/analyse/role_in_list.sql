-- IN with literals (kept) and with parameters.
SELECT * FROM orders WHERE status IN ('open', 'pending') AND user_id IN ($1, $2, $3)
