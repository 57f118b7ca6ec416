-- Checkout of one recent listing, in one transaction: the order, its line, and the stock
-- decremented (ActiveRecord's create! twice, then a hand-written decrement that cannot go
-- below zero). Buyers with the skew of schema.sql.
\set bid least(:buyers, 1 + int(:buyers * pow(random(0, 999999) / 1000000.0, 2)))
\set lid :listings - random_exponential(0, :listings - 1, 3.0)
\set q random(1, 2)
SELECT seller_id AS sid, price AS unit_price, price * :q AS total FROM market.listings WHERE id = :lid \gset
BEGIN;
INSERT INTO "market"."orders" ("buyer_id", "seller_id", "status", "total", "currency", "created_at", "updated_at") VALUES (:bid, :sid, 'pending', :total, 'USD', now(), now()) RETURNING "id" \gset
INSERT INTO "market"."order_lines" ("order_id", "listing_id", "quantity", "unit_price") VALUES (:id, :lid, :q, :unit_price) RETURNING "id";
UPDATE "market"."listings" SET "stock" = GREATEST("market"."listings"."stock" - :q, 0), "updated_at" = now() WHERE "market"."listings"."id" = :lid;
END;
