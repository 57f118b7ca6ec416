-- A tenant as busy as its size: Zipf(1.2) over the size rank of share.sql, mapped back
-- to the tenant id (rank = (id-1)*17 mod 40 + 1, and 33 is the inverse of 17 mod 40).
\set rank random_zipfian(1, 40, 1.2)
\set tid 1 + ((:rank - 1) * 33) % 40
\set s random(1, 4)
SELECT (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[:s] AS stage \gset
SELECT id, name, amount, close_date FROM crm.deals WHERE tenant_id = :tid AND stage = :stage::crm.deal_stage AND deleted_at IS NULL ORDER BY close_date LIMIT 50;
