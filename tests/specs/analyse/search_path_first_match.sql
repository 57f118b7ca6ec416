-- search_path: crm, public
-- With crm first on the path, users is crm.users.
SELECT id FROM users WHERE login = $1
