-- Region of a real contact (EMEA when it has none, as the application does).
\set cid random(1, :contacts)
\set s random(1, 4)
SELECT tenant_id AS tid, coalesce(custom_region, 'EMEA') AS region, (ARRAY['lead', 'subscriber', 'customer', 'opportunity'])[:s] AS status FROM crm.contacts WHERE id = :cid \gset
SELECT count(*) FROM crm.contacts WHERE tenant_id = :tid AND custom_region = :region AND lifecycle_status = :status::crm.lifecycle_status AND deleted_at IS NULL;
