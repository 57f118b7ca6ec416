-- A tenant as busy as its size: Zipf(1.2) over the size rank of share.sql, mapped back
-- to the tenant id (rank = (id-1)*17 mod 40 + 1, and 33 is the inverse of 17 mod 40).
\set rank random_zipfian(1, 40, 1.2)
\set tid 1 + ((:rank - 1) * 33) % 40
-- A 7-day window ending up to 90 days ago.
\set back random(0, 90 * 86400)
SELECT now() - make_interval(secs => :back + 7 * 86400) AS t_from, now() - make_interval(secs => :back) AS t_to \gset
SELECT id, type, subject, occurred_at FROM crm.activities WHERE tenant_id = :tid AND occurred_at >= :t_from AND occurred_at < :t_to ORDER BY occurred_at DESC LIMIT 100;
