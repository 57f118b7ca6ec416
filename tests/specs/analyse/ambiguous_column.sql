-- Unqualified columns that two tables have are flagged, not guessed.
SELECT id FROM users u JOIN orders o ON o.user_id = u.id WHERE status = $1 AND email = $2
