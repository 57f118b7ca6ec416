-- A buyer's favourites, page 2+, with their listings (deleted ones hidden), newest first,
-- keyset-paginated the way the pagy gem's keyset extra writes the cursor: an OR of a strict
-- and a tie-breaking comparison, (created_at < $2) OR (created_at = $3 AND id < $4), not a row
-- comparison. The cursor is a favourite drawn by id, so busy buyers page most.
\set fid random(1, :favourites)
SELECT buyer_id AS bid, created_at AS ts, id AS cursor_id FROM market.favourites WHERE id = :fid \gset
SELECT "market"."listings".*, "market"."favourites"."id" AS "favourite_id", "market"."favourites"."created_at" AS "favourited_at" FROM "market"."favourites" INNER JOIN "market"."listings" ON "market"."listings"."id" = "market"."favourites"."listing_id" WHERE "market"."favourites"."buyer_id" = :bid AND "market"."listings"."deleted_at" IS NULL AND ("market"."favourites"."created_at" < :ts OR ("market"."favourites"."created_at" = :ts AND "market"."favourites"."id" < :cursor_id)) ORDER BY "market"."favourites"."created_at" DESC, "market"."favourites"."id" DESC LIMIT 24;
