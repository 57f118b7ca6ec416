-- The seller edits a listing's price and stock (ActiveRecord update, updated_at bumped). Recent
-- listings are edited most. The price is in two partial indexes of the expert set: never a
-- HOT update with it.
\set lid :listings - random_exponential(0, :listings - 1, 3.0)
\set pct random(-10, 10)
\set stock random(0, 30)
SELECT round(price * (100 + :pct) / 100, 2) AS price FROM market.listings WHERE id = :lid \gset
UPDATE "market"."listings" SET "price" = :price, "stock" = :stock, "updated_at" = now() WHERE "market"."listings"."id" = :lid;
