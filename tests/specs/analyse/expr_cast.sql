-- Casts, in both spellings, print one way.
SELECT id FROM orders WHERE created_at::date = $1::date AND CAST(total AS int) > 100
