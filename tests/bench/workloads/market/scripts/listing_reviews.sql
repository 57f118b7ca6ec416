-- The reviews under a listing, newest first: listing.reviews.kept.order(created_at:
-- :desc).limit(10). The listing is that of a review drawn by id (listings with reviews, the
-- most reviewed most often).
\set rid random(1, :reviews)
SELECT listing_id AS lid FROM market.reviews WHERE id = :rid \gset
SELECT "market"."reviews".* FROM "market"."reviews" WHERE "market"."reviews"."listing_id" = :lid AND "market"."reviews"."deleted_at" IS NULL ORDER BY "market"."reviews"."created_at" DESC LIMIT 10;
