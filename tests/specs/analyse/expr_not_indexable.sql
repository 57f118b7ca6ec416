-- Expressions with a parameter or a function that is not IMMUTABLE cannot be index keys.
SELECT id FROM orders WHERE date_trunc($1, created_at) = $2 AND now() - shipped_at > interval '1 day' AND total * random() > 1
