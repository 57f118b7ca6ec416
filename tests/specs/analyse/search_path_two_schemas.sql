-- search_path: "$user", public, crm
-- Unqualified names found in different schemas ($user = alice has no tables).
SELECT u.id FROM users u JOIN contacts c ON c.owner_id = u.id WHERE c.stage = $1
