-- A tenant as busy as its size: Zipf(1.2) over the size rank of share.sql, mapped back
-- to the tenant id (rank = (id-1)*17 mod 40 + 1, and 33 is the inverse of 17 mod 40).
\set rank random_zipfian(1, 40, 1.2)
\set tid 1 + ((:rank - 1) * 33) % 40
SELECT id, email, created_at FROM crm.contacts WHERE tenant_id = :tid AND owner_id IS NULL AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50;
