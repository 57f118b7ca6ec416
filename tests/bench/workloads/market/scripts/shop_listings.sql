-- A shop's storefront (/shops/<slug>): its active listings, newest first, 24 a page:
-- seller.listings.active.kept.order(created_at: :desc).limit(24), the scopes written as SQL
-- fragments (status = 'active' and deleted_at IS NULL are literals). Shops are drawn with the
-- skew of schema.sql: big shops are visited most.
\set sid least(:sellers, 1 + int(:sellers * pow(random(0, 999999) / 1000000.0, 3)))
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."seller_id" = :sid AND "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL ORDER BY "market"."listings"."created_at" DESC LIMIT 24;
