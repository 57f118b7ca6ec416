-- The deals tab of a category: listings with a discount (a discount_pct key in attributes,
-- ~4% of them), newest first: where("attributes ? 'discount_pct'"), a key-existence test
-- with the key as a literal. Categories are drawn in proportion to their size.
\set lid random(1, :listings)
SELECT category_id AS cat FROM market.listings WHERE id = :lid \gset
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."category_id" = :cat AND "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL AND "market"."listings"."attributes" ? 'discount_pct' ORDER BY "market"."listings"."created_at" DESC LIMIT 24;
