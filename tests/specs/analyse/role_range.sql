-- Ranges; a column on the right is read with the operator turned round.
SELECT id FROM orders WHERE created_at >= $1 AND created_at < $2 AND $3 < total
