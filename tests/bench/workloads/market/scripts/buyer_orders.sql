-- "My orders": a buyer's orders, newest first. The buyer placed a recent order (busy buyers
-- look most).
\set oid :orders - random_exponential(0, :orders - 1, 4.0)
SELECT buyer_id AS bid FROM market.orders WHERE id = :oid \gset
SELECT "market"."orders".* FROM "market"."orders" WHERE "market"."orders"."buyer_id" = :bid ORDER BY "market"."orders"."created_at" DESC LIMIT 20;
