-- A category page filtered by a price range, cheapest first: where(price: lo..hi) becomes
-- BETWEEN. The category is that of a listing drawn by id, so categories are browsed in
-- proportion to their size.
\set lid random(1, :listings)
\set lo random(5, 60)
\set hi :lo * random(2, 6)
SELECT category_id AS cat FROM market.listings WHERE id = :lid \gset
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."category_id" = :cat AND "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL AND "market"."listings"."price" BETWEEN :lo AND :hi ORDER BY "market"."listings"."price" ASC LIMIT 24;
