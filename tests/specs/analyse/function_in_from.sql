-- A function in FROM has no table: only the orders side of the join is a key.
SELECT o.id FROM unnest($1::bigint[]) AS ids(id) JOIN orders o ON o.id = ids.id
