\set cid random(1, :contacts)
SELECT tenant_id AS tid FROM crm.contacts WHERE id = :cid \gset
UPDATE crm.contacts SET last_contacted_at = now(), updated_at = now() WHERE id = :cid AND tenant_id = :tid;
