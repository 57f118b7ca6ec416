-- Equality on either side of =.
SELECT id, email FROM users WHERE email = $1 AND $2 = tenant_id
