-- The -D variables the scripts need: loaded ids are dense from 1, so a uniform id in 1..max
-- is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'sellers=' || (SELECT max(id) FROM market.sellers)),
    (2, 'buyers=' || (SELECT max(id) FROM market.buyers)),
    (3, 'listings=' || (SELECT max(id) FROM market.listings)),
    (4, 'orders=' || (SELECT max(id) FROM market.orders)),
    (5, 'reviews=' || (SELECT max(id) FROM market.reviews)),
    (6, 'favourites=' || (SELECT max(id) FROM market.favourites))
) AS vars (n, v)
ORDER BY n;
