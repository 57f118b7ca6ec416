-- A tenant as busy as its size: Zipf(1.2) over the size rank of share.sql, mapped back
-- to the tenant id (rank = (id-1)*17 mod 40 + 1, and 33 is the inverse of 17 mod 40).
\set rank random_zipfian(1, 40, 1.2)
\set tid 1 + ((:rank - 1) * 33) % 40
-- A 30-day window starting between a week ago and a month ahead.
\set from random(-7, 30)
SELECT current_date + :from::int AS d1, current_date + :from::int + 30 AS d2 \gset
SELECT id, name, amount, close_date FROM crm.deals WHERE tenant_id = :tid AND close_date BETWEEN :d1 AND :d2 AND stage NOT IN ('closed_won', 'closed_lost') ORDER BY close_date LIMIT 100;
