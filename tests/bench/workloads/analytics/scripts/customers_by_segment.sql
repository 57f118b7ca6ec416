-- Trap: even the smallest segment (10%) has rows on nearly every page; a sequential scan
-- is the best plan.
\set s random(1, 3)
SELECT (ARRAY['consumer', 'smb', 'enterprise'])[:s] AS segment \gset
SELECT country, count(*) AS customers, count(*) FILTER (WHERE is_active) AS active FROM analytics.customers WHERE segment = :segment GROUP BY country ORDER BY customers DESC;
