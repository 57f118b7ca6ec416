-- UNION ALL: each branch on its own; ORDER BY the output column reaches both tables.
SELECT id, email FROM users WHERE status = $1 UNION ALL SELECT id, email FROM crm.contacts WHERE stage = $2 ORDER BY email
