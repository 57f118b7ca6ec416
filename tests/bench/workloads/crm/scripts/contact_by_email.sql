-- A contact picked uniformly, so tenants weigh as much as their share of contacts.
\set cid random(1, :contacts)
SELECT tenant_id AS tid, email FROM crm.contacts WHERE id = :cid \gset
SELECT id, first_name, last_name, phone, lifecycle_status FROM crm.contacts WHERE tenant_id = :tid AND email = :email AND deleted_at IS NULL;
