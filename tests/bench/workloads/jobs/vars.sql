-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row (jobs: up to pruning). Read before the run; rows the run inserts are not
-- picked.
SELECT v FROM (VALUES
    (1, 'accounts=' || (SELECT max(id) FROM jobs.accounts)),
    (2, 'workers=' || (SELECT max(id) FROM jobs.workers)),
    (3, 'jobs=' || (SELECT max(id) FROM jobs.jobs))
) AS vars (n, v)
ORDER BY n;
