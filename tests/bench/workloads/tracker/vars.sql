-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'organizations=' || (SELECT max(id) FROM tracker.organizations)),
    (2, 'projects=' || (SELECT max(id) FROM tracker.projects)),
    (3, 'users=' || (SELECT max(id) FROM tracker.users)),
    (4, 'project_members=' || (SELECT max(id) FROM tracker.project_members)),
    (5, 'issues=' || (SELECT max(id) FROM tracker.issues)),
    (6, 'comments=' || (SELECT max(id) FROM tracker.comments))
) AS vars (n, v)
ORDER BY n;
