-- A UNION column leads back to both tables.
WITH people AS (SELECT email FROM users UNION SELECT email FROM crm.contacts)
SELECT * FROM people WHERE email LIKE $1
