-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'users=' || (SELECT max(id) FROM feed.users)),
    (2, 'posts=' || (SELECT max(id) FROM feed.posts)),
    (3, 'hashtags=' || (SELECT max(id) FROM feed.hashtags)),
    (4, 'memberships=' || (SELECT max(id) FROM feed.memberships))
) AS vars (n, v)
ORDER BY n;
