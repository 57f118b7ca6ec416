-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'accounts=' || (SELECT max(id) FROM reporting.accounts)),
    (2, 'customers=' || (SELECT max(id) FROM reporting.customers)),
    (3, 'invoices=' || (SELECT max(id) FROM reporting.invoices)),
    (4, 'usage_records=' || (SELECT max(id) FROM reporting.usage_records))
) AS vars (n, v)
ORDER BY n;
