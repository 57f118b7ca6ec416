-- Leading wildcard and ILIKE cannot use a B-tree prefix: substring searches a trigram index
-- serves; NOT LIKE only reads.
SELECT id FROM users WHERE email LIKE '%@example.com' OR name ILIKE 'a%' OR status NOT LIKE 'x%'
