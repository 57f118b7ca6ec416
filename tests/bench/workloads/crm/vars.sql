-- The -D variables the scripts need: ids of these tables are dense from 1 (one set-based
-- insert each), so a uniform id in 1..max is a real row. Read before the run; rows the run
-- inserts are not picked.
SELECT v FROM (VALUES
    (1, 'contacts=' || (SELECT max(id) FROM crm.contacts)),
    (2, 'deals=' || (SELECT max(id) FROM crm.deals)),
    (3, 'activities=' || (SELECT max(id) FROM crm.activities)),
    (4, 'organisations=' || (SELECT max(id) FROM crm.organisations)),
    (5, 'users=' || (SELECT max(id) FROM crm.users))
) AS vars (n, v)
ORDER BY n;
