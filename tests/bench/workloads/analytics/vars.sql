-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'customers=' || (SELECT max(id) FROM analytics.customers)),
    (2, 'products=' || (SELECT max(id) FROM analytics.products)),
    (3, 'orders=' || (SELECT max(id) FROM analytics.orders)),
    (4, 'page_events=' || (SELECT max(id) FROM analytics.page_events))
) AS vars (n, v)
ORDER BY n;
