-- = ANY(array): a parameter, and a literal array.
SELECT id FROM users WHERE id = ANY($1) AND tenant_id = ANY('{1,2}'::int[])
