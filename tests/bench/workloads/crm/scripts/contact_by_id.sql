\set cid random(1, :contacts)
SELECT tenant_id AS tid FROM crm.contacts WHERE id = :cid \gset
SELECT id, email, first_name, last_name, phone, lifecycle_status, custom_attributes FROM crm.contacts WHERE id = :cid AND tenant_id = :tid;
