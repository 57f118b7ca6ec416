-- BETWEEN with literal bounds keeps them; with parameters it has none.
SELECT id FROM orders WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01' AND total BETWEEN $1 AND $2
