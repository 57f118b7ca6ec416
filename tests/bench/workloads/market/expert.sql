-- Secondary indexes an experienced DBA would add for the marketplace workload
-- (scripts/*.sql), a Rails application with a few hand-written reports. Every storefront
-- read of listings carries the literals `"status" = 'active'` and `"deleted_at" IS NULL`, so
-- the listings B-trees are partial on both (~75% of the listings): custom and generic plans
-- alike can use them, and the drafts, sold-out, archived and deleted listings cost nothing.
-- The jsonb, array and free-text filters sorted by price get GIN indexes: jsonb_path_ops for
-- `@>` (smaller and faster than the default jsonb_ops, which `@>` alone does not need), the
-- default array_ops for `@>` on tags, and pg_trgm's gin_trgm_ops for `ILIKE '%...%'`. The
-- newest-first tag filter (`&&`) gets a B-tree on created_at instead: listings are appended in
-- time order, so the newest ones are together at the end of the table, and a filter that keeps
-- a few percent finds its 24 rows there sooner than any bitmap scan.
-- Each comment names the statements the index serves. Deliberately none for:
-- - facet_counts (trap): the colour counts of the home page read the ~82% of the listings
--   that are on display (active or sold out, not deleted); an index on
--   (attributes ->> 'color') cannot give an index-only scan (it stores the expression, not the
--   attributes column) and the IN list implies none of the partial predicates below, so a
--   sequential scan and a hash aggregate win;
-- - update_listing, place_order and the helper statements: primary keys;
-- - the foreign keys no statement filters on (order_lines.listing_id, reviews.buyer_id,
--   reviews.order_id, favourites.listing_id, categories.parent_id): listings, buyers and
--   orders are archived or soft-deleted, never deleted, so the foreign-key checks of a delete
--   never run.
-- Writes: new_listing pays for every listings index (three of them GIN, whose pending list
-- absorbs most of the cost); update_listing changes the price, which two partial B-trees
-- contain, so it is never a HOT update; place_order's stock decrement touches no indexed
-- column (HOT), its order and line inserts pay for three indexes.
--
-- Measured: PostgreSQL 15.18, shared_buffers = 256MB, fsync = off, 2 cores shared with other
-- benchmark jobs and builds (load average 8-11), fresh load each round, `run.sh market -c 4
-- -j 2 -T 15`, 0 failed transactions: no secondary index 38 / 53 / 47 / 53 tps (every
-- listings statement a sequential scan of the 72 MB table, 80-240 ms; the order, review and
-- favourite statements 15-90 ms); these 13 indexes (62 MB, the trigram index 15 MB of it) 875 /
-- 915 / 1,623 / 1,483 tps (every statement under 1.5 ms except title_search, ~12 ms: a bitmap
-- scan over ~1,700 matches and a top-N sort; facet_search, ~6 ms; and the facet_counts trap,
-- 150-230 ms, which then takes a quarter to a third of the time at weight 1 of 185).
-- Each index was checked with EXPLAIN on representative values, custom and generic plans, to
-- be used by every statement its comment names. With HypoPG, indexes on listings
-- ((attributes ->> 'color')) (plain and partial on the trap's predicate), (created_at) and
-- (id) partial on it, and (status, deleted_at) are not chosen for facet_counts, with
-- random_page_cost 4 or 1.1. HypoPG (1.3.1) cannot create the three GIN indexes
-- (`access method "gin" is not supported`).

-- shop_listings: equality on the shop, then the ORDER BY created_at DESC LIMIT 24 read
-- backwards (id is the tie-breaker a keyset cursor on the storefront would use). For the
-- biggest shop (8% of the listings) custom plans read listings_active_created backwards
-- instead, which finds its 24 newest within ~300 entries.
CREATE INDEX listings_shop_active_created ON market.listings (seller_id, created_at, id) WHERE status = 'active' AND deleted_at IS NULL;

-- category_browse: equality on the category, then the price range, which also gives the
-- ORDER BY price.
CREATE INDEX listings_category_price ON market.listings (category_id, price) WHERE status = 'active' AND deleted_at IS NULL;

-- brand_listings: the expression must match the query's attributes ->> 'brand', then the
-- ORDER BY price.
CREATE INDEX listings_brand_price ON market.listings ((attributes ->> 'brand'), price) WHERE status = 'active' AND deleted_at IS NULL;

-- deals: the ~4% of listings with a discount_pct key, per category, newest first; the key
-- existence test is a literal of the query, so it can be the predicate of a small partial
-- B-tree (jsonb_path_ops cannot answer `?`, and a jsonb_ops GIN would still leave the
-- category and the ORDER BY to the heap).
CREATE INDEX listings_deals_category_created ON market.listings (category_id, created_at) WHERE attributes ? 'discount_pct' AND status = 'active' AND deleted_at IS NULL;

-- tagged_listings: newest first, ~2.5% of the listings carry one of its two tags, and
-- listings are appended in time order: reading this index backwards finds 24 of them within
-- ~1,000 entries on the last pages of the table, where a GIN bitmap scan on tags would fetch
-- all ~3,600 active matches from all over the table and sort them (0.4 ms against 34 ms).
-- Also shop_listings for the biggest shop (see above).
CREATE INDEX listings_active_created ON market.listings (created_at) WHERE status = 'active' AND deleted_at IS NULL;

-- facet_search: attributes @> '{"color": ..., "material": ...}' (0.3-1% of the listings),
-- the matches then sorted by price.
CREATE INDEX listings_attributes ON market.listings USING gin (attributes jsonb_path_ops);

-- tag_collection: tags @> ARRAY[$1, $2] (a rare pair), the matches then sorted by price.
CREATE INDEX listings_tags ON market.listings USING gin (tags);

-- title_search: title ILIKE '%' || $1 || '%' (pg_trgm, created by schema.sql), ~1% of the
-- listings on average, the matches then sorted by price.
CREATE INDEX listings_title_trgm ON market.listings USING gin (title gin_trgm_ops);

-- listing_reviews: equality on the listing, then the ORDER BY created_at DESC LIMIT 10.
CREATE INDEX reviews_listing_created ON market.reviews (listing_id, created_at) WHERE deleted_at IS NULL;

-- favourites_page: equality on the buyer, then the keyset cursor. Custom plans read the
-- buyer's entries backwards from the newest and filter the cursor's OR; generic plans turn the
-- OR into two index conditions ((buyer_id, created_at < $2) and (buyer_id, created_at = $3,
-- id < $4), a BitmapOr).
CREATE INDEX favourites_buyer_created ON market.favourites (buyer_id, created_at, id);

-- buyer_orders: equality on the buyer, then the ORDER BY created_at DESC LIMIT 20.
CREATE INDEX orders_buyer_created ON market.orders (buyer_id, created_at);

-- seller_dashboard and seller_top_listings: equality on the seller, then the inline
-- now() - interval '30 days' window.
CREATE INDEX orders_seller_created ON market.orders (seller_id, created_at);

-- seller_top_listings: the lines of each of the seller's recent orders (the foreign key;
-- for the biggest shop, ~1,000 orders a month, custom plans hash the whole table instead).
CREATE INDEX order_lines_order ON market.order_lines (order_id);
