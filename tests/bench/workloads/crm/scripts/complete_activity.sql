-- Any activity, like the application's sample: most are already done and the update
-- then changes nothing.
\set aid random(1, :activities)
SELECT tenant_id AS tid FROM crm.activities WHERE id = :aid \gset
UPDATE crm.activities SET done = true WHERE id = :aid AND tenant_id = :tid AND NOT done;
