-- Leading wildcard, ILIKE and NOT LIKE cannot use a B-tree prefix: reads only.
SELECT id FROM users WHERE email LIKE '%@example.com' OR name ILIKE 'a%' OR status NOT LIKE 'x%'
