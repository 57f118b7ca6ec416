-- Trap: consumers are 75% of customers (on every page), so a sequential scan is the best
-- plan; an index on segment would only be used for the small segments, never asked here.
SELECT country, count(*) AS customers, count(*) FILTER (WHERE is_active) AS active FROM analytics.customers WHERE segment = 'consumer' GROUP BY country ORDER BY customers DESC;
