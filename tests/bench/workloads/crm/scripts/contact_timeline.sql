\set cid random(1, :contacts)
SELECT id, type, subject, occurred_at FROM crm.activities WHERE contact_id = :cid ORDER BY occurred_at DESC LIMIT 20;
