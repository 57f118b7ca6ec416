\set did random(1, :deals)
\set s random(1, 4)
SELECT tenant_id AS tid, (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[:s] AS stage FROM crm.deals WHERE id = :did \gset
UPDATE crm.deals SET stage = :stage::crm.deal_stage, updated_at = now() WHERE id = :did AND tenant_id = :tid;
