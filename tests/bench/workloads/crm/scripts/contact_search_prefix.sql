-- The first three letters of a real contact's email, as typed in a search box.
\set cid random(1, :contacts)
SELECT tenant_id AS tid, lower(left(email, 3)) || '%' AS prefix FROM crm.contacts WHERE id = :cid \gset
SELECT id, email, first_name, last_name FROM crm.contacts WHERE tenant_id = :tid AND lower(email) LIKE :prefix AND deleted_at IS NULL ORDER BY email LIMIT 20;
