-- An expression over two columns of one table; one over two tables is no key.
SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE coalesce(u.name, u.email) = $1 AND u.tenant_id + o.tenant_id = $2
