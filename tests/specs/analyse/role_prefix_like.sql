-- LIKE with a literal prefix, with a parameter (may be a prefix), with a computed pattern.
SELECT id FROM users WHERE email LIKE 'ann%' AND name LIKE $1 AND status LIKE $2 || '%'
