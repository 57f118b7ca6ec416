-- A tenant as busy as its size: Zipf(1.2) over the size rank of share.sql, mapped back
-- to the tenant id (rank = (id-1)*17 mod 40 + 1, and 33 is the inverse of 17 mod 40).
\set rank random_zipfian(1, 40, 1.2)
\set tid 1 + ((:rank - 1) * 33) % 40
-- Two adjacent open stages, as one board column pair.
\set s random(1, 3)
SELECT (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[:s] AS stage1, (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[:s + 1] AS stage2 \gset
SELECT d.id, d.name, d.amount, d.stage, c.email, o.name AS organisation FROM crm.deals d JOIN crm.contacts c ON c.id = d.contact_id LEFT JOIN crm.organisations o ON o.id = d.org_id WHERE d.tenant_id = :tid AND d.stage IN (:stage1::crm.deal_stage, :stage2::crm.deal_stage) AND d.deleted_at IS NULL ORDER BY d.amount DESC LIMIT 25;
