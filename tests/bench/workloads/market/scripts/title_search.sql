-- The search box, sorted by lowest price: a substring of the title, case-insensitive,
-- where("title ILIKE '%' || ? || '%'", q).order(:price). The word is the noun of a listing
-- drawn by id (its leaf category's name), so common words are searched most (~1% of the
-- listings match on average, up to ~3.4%).
\set lid random(1, :listings)
SELECT lower(c.name) AS q FROM market.listings l JOIN market.categories c ON c.id = l.category_id WHERE l.id = :lid \gset
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL AND "market"."listings"."title" ILIKE '%' || :q || '%' ORDER BY "market"."listings"."price" ASC LIMIT 24;
