\set did random(1, :deals)
SELECT id, type, subject, occurred_at, done FROM crm.activities WHERE deal_id = :did ORDER BY occurred_at DESC LIMIT 20;
