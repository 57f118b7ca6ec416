-- Multi-tenant marketplace dataset (schema market): sellers (the shops), a two-level
-- category tree, buyers, listings with a jsonb `attributes` column and a `tags text[]`
-- column, orders, order lines, reviews and favourites. About 0.94 million rows.
--
-- The workload's SQL (scripts/*.sql, 17 statements) is a Rails/ActiveRecord application with a
-- few hand-written reports: quoted, schema- and table-qualified names
-- ("market"."listings"."seller_id"), `SELECT "market"."listings".*`, scopes written as SQL
-- fragments, so the storefront filters are literals (`"status" = 'active'`, soft deletes
-- `"deleted_at" IS NULL`: partial-index predicates); jsonb containment with the document sent as
-- a string (`"attributes" @> $1::jsonb`), key existence with the key a literal
-- (`"attributes" ? 'discount_pct'`), expression equality (`("attributes" ->> 'brand') = $1`),
-- array overlap and containment (`"tags" && ARRAY[$1, $2]::text[]`, `"tags" @> ARRAY[...]`), a
-- substring search (`"title" ILIKE '%' || $1 || '%'`, trigram territory), price ranges
-- (BETWEEN), ORDER BY created_at DESC LIMIT 24 per shop, ORDER BY price LIMIT 24 for the
-- searches, keyset pagination written as the pagy gem writes its cursor
-- ((created_at < $2) OR (created_at = $3 AND id < $4), not a row comparison), a seller
-- dashboard with `now() - interval '30 days'` windows written inline (pg_stat_statements shows
-- `interval $2`) and a three-table join, writes (new_listing with jsonb and text[] values,
-- update_listing's price and stock, place_order's order, line and stock decrement in one
-- transaction), and one trap whose best plan is a sequential scan (facet_counts).
--
-- Only primary and foreign keys: secondary indexes are what an advisor has to find (a Rails
-- application would also have indexed its foreign keys; they are left out on purpose). The
-- expert set (expert.sql) uses pg_trgm, created below in the default schema. Run with
-- `psql -v ON_ERROR_STOP=1 -f schema.sql`; re-running replaces everything. The data is the same
-- on every run (fixed seed, no parallel workers drawing from their own random state), except
-- that timestamps are relative to now().
--
-- Skew: sellers are numbered by size: a listing's or an order's seller is 1 + floor(2000 * r^3)
-- (seller 1 has ~8% of both, 15,920 listings; seller 2,000 about 30). Each shop has a home
-- top-level category (80% of its listings are in it), and within a top-level category the
-- first leaves are the big ones (leaf categories have 413 to 6,748 listings). Listings span
-- three years and grow (ids in time order, ~19% from the last 90 days); ~75% are active and
-- not deleted (drafts, sold out, archived, 3% soft-deleted). attributes: color (85%, black
-- most), material (60%), brand (70%, 300 brands, popular ones first: the top one is on 4% of
-- the listings), size (clothing and shoes), condition, discount_pct (4%). Tags: one to four
-- of 120 (the first one skewed: 'gift' is on 9.6% of the listings, the last 80 of the list on
-- 1-1.8% each). Orders span two years and grow (ids in time order, ~8.6% from the last 30 days);
-- buyers 1 + floor(50000 * r^2) (buyer 1 has 701 orders and 1,118 favourites). Reviews cover
-- ~40% of the delivered order lines; 2% are soft-deleted.
--
-- Rows: categories 220, sellers 2,000, buyers 50,000, listings 200,000, orders 150,000,
-- order_lines 214,595, reviews 77,004, favourites 250,000 (943,819 in all, ~143 MB with the
-- primary keys). Loading takes 5.5 s of backend CPU (PostgreSQL 15.18, shared_buffers = 256MB,
-- fsync = off, psql): 10-15 s wall on two cores shared with other benchmark jobs and builds at
-- load average 4-7, 15-29 s at load average 9-11 (tracker/schema.sql, which takes the same
-- 5.5 s of CPU, took 25 s side by side). Throughput with and without the expert set: see
-- expert.sql.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET statement_timeout = 0;

-- title_search is an ILIKE '%...%' search: the expert set indexes it with pg_trgm (contrib).
-- In the default schema, so that dropping schema market keeps it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DROP SCHEMA IF EXISTS market CASCADE;
CREATE SCHEMA market;

BEGIN;
-- Hash joins, aggregates and sorts in memory, key builds in one pass.
SET LOCAL work_mem = '128MB';
SET LOCAL maintenance_work_mem = '256MB';
SELECT setseed(0.42);

-- The vocabularies, as immutable functions the planner folds into constants (a temporary
-- table's arrays would be decompressed for every row): twenty top-level categories, ten leaf
-- nouns each (a leaf category is named after its noun, and its listings' titles contain it),
-- colours, materials, styles, 300 brands (prefix x suffix) and 120 tags. Dropped at the end.
CREATE FUNCTION market.vocab_tops() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['Clothing', 'Shoes', 'Accessories', 'Jewelry', 'Bags', 'Phones', 'Computers', 'Audio',
             'Cameras', 'Home', 'Kitchen', 'Garden', 'Toys', 'Books', 'Art', 'Craft supplies', 'Sports',
             'Beauty', 'Pets', 'Vintage']
$$;
CREATE FUNCTION market.vocab_nouns() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['dress', 'shirt', 'sweater', 'jacket', 'skirt', 'hoodie', 'blouse', 'cardigan', 'trousers', 'kimono',
             'sneaker', 'boot', 'sandal', 'loafer', 'slipper', 'heel', 'clog', 'moccasin', 'espadrille', 'brogue',
             'scarf', 'wallet', 'belt', 'beanie', 'glove', 'umbrella', 'keychain', 'sunglasses', 'bandana', 'bowtie',
             'necklace', 'bracelet', 'earring', 'ring', 'pendant', 'anklet', 'brooch', 'cufflink', 'choker', 'locket',
             'backpack', 'tote', 'clutch', 'satchel', 'duffel', 'crossbody', 'purse', 'pouch', 'messenger bag', 'weekender',
             'smartphone', 'charger', 'phone case', 'screen protector', 'power bank', 'cable', 'dock', 'stylus', 'car mount', 'selfie stick',
             'laptop', 'keyboard', 'mouse', 'monitor', 'webcam', 'router', 'tablet', 'hard drive', 'usb hub', 'graphics card',
             'headphones', 'speaker', 'earbuds', 'turntable', 'amplifier', 'microphone', 'soundbar', 'receiver', 'subwoofer', 'radio',
             'camera', 'lens', 'tripod', 'flash', 'camera strap', 'film', 'drone', 'gimbal', 'light meter', 'filter',
             'lamp', 'cushion', 'rug', 'candle', 'vase', 'mirror', 'blanket', 'curtain', 'clock', 'planter',
             'mug', 'teapot', 'skillet', 'cutting board', 'knife', 'bowl', 'plate', 'apron', 'kettle', 'spatula',
             'seed packet', 'trowel', 'watering can', 'bird feeder', 'hose', 'pruner', 'raised bed', 'wind chime', 'gnome', 'trellis',
             'puzzle', 'teddy bear', 'doll', 'building blocks', 'kite', 'rocking horse', 'board game', 'yo-yo', 'marble run', 'puppet',
             'novel', 'cookbook', 'atlas', 'comic', 'poetry book', 'notebook', 'journal', 'sketchbook', 'bookmark', 'calendar',
             'print', 'painting', 'poster', 'sculpture', 'photograph', 'canvas', 'watercolor', 'etching', 'tapestry', 'linocut',
             'yarn', 'fabric', 'bead', 'button', 'thread', 'paint set', 'brush', 'sticker', 'stamp', 'ribbon',
             'yoga mat', 'dumbbell', 'racket', 'bicycle', 'helmet', 'skateboard', 'surfboard', 'tent', 'sleeping bag', 'water bottle',
             'soap', 'lip balm', 'perfume', 'face cream', 'shampoo', 'bath bomb', 'nail polish', 'hair clip', 'comb', 'serum',
             'dog collar', 'leash', 'cat toy', 'pet bed', 'feeder', 'aquarium', 'bird cage', 'harness', 'scratching post', 'pet bowl',
             'record', 'typewriter', 'postcard', 'pocket watch', 'teacup', 'gramophone', 'film camera', 'tin box', 'lace doily', 'brass bell']
$$;
CREATE FUNCTION market.vocab_colors() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['black', 'white', 'grey', 'blue', 'red', 'green', 'brown', 'beige', 'pink', 'yellow', 'purple', 'orange']
$$;
CREATE FUNCTION market.vocab_materials() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['cotton', 'leather', 'wool', 'linen', 'wood', 'ceramic', 'metal', 'glass', 'silk', 'plastic']
$$;
CREATE FUNCTION market.vocab_styles() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['Vintage', 'Handmade', 'Modern', 'Classic', 'Rustic', 'Minimalist', 'Boho', 'Retro', 'Elegant', 'Cozy',
             'Nordic', 'Industrial', 'Artisan', 'Custom', 'Luxury', 'Everyday']
$$;
CREATE FUNCTION market.vocab_brand_pre() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['Nord', 'Alta', 'Bello', 'Casa', 'Dune', 'Echo', 'Fjord', 'Gala', 'Hana', 'Isla', 'Juno', 'Kira', 'Luma',
             'Mira', 'Nova', 'Orla', 'Pico', 'Rumi', 'Sola', 'Terra']
$$;
CREATE FUNCTION market.vocab_brand_suf() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['vik', 'line', 'works', 'craft', 'studio', 'lab', 'wear', 'home', 'co', 'haus', 'gear', 'nest', 'field',
             'tone', 'berg']
$$;
CREATE FUNCTION market.vocab_tags() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['gift', 'handmade', 'vintage', 'sale', 'new', 'eco', 'organic', 'personalised', 'limited', 'bestseller',
             'wedding', 'christmas', 'birthday', 'minimalist', 'boho', 'retro', 'kids', 'pets', 'outdoor', 'travel',
             'office', 'kitchen', 'decor', 'wood', 'leather', 'cotton', 'silver', 'gold', 'ceramic', 'glass',
             'recycled', 'vegan', 'unisex', 'set', 'bundle', 'custom', 'rare', 'collectible', 'antique', 'summer',
             'winter', 'spring', 'autumn', 'halloween', 'easter', 'valentines', 'mothers-day', 'fathers-day', 'graduation', 'baby-shower',
             'anniversary', 'housewarming', 'teacher-gift', 'stocking-filler', 'party', 'festival', 'beach', 'camping', 'hiking', 'yoga',
             'running', 'cycling', 'fishing', 'gardening', 'baking', 'coffee', 'tea', 'wine', 'music', 'vinyl',
             'gaming', 'retro-gaming', 'anime', 'fantasy', 'sci-fi', 'nautical', 'floral', 'geometric', 'abstract', 'botanical',
             'rainbow', 'pastel', 'monochrome', 'neon', 'glitter', 'matte', 'waterproof', 'wireless', 'portable', 'rechargeable',
             'smart-home', 'ergonomic', 'compact', 'oversized', 'slim-fit', 'plus-size', 'petite', 'kids-size', 'lightweight', 'heavy-duty',
             'refurbished', 'open-box', 'made-in-uk', 'made-in-usa', 'made-in-italy', 'fair-trade', 'zero-waste', 'plastic-free', 'upcycled', 'local',
             'scandinavian', 'japanese', 'french', 'mid-century', 'art-deco', 'victorian', 'industrial', 'farmhouse', 'cottagecore', 'y2k']
$$;
CREATE VIEW market.vocab AS
SELECT market.vocab_tops() AS tops, market.vocab_nouns() AS nouns, market.vocab_colors() AS colors,
       market.vocab_materials() AS materials, market.vocab_styles() AS styles,
       market.vocab_brand_pre() AS brand_pre, market.vocab_brand_suf() AS brand_suf, market.vocab_tags() AS tags;

-- 220 categories: 1..20 top level, 21..220 leaves (ten per top-level category, leaf
-- 21 + (top - 1) * 10 + k).
CREATE TABLE market.categories (
    id        integer NOT NULL,
    parent_id integer,
    name      varchar(80) NOT NULL,
    slug      varchar(80) NOT NULL,
    position  smallint NOT NULL
);
INSERT INTO market.categories (id, parent_id, name, slug, position)
SELECT t, NULL, v.tops[t], replace(lower(v.tops[t]), ' ', '-'), t
FROM market.vocab v, generate_series(1, 20) AS t
UNION ALL
SELECT 20 + n, 1 + (n - 1) / 10, initcap(v.nouns[n]), replace(v.nouns[n], ' ', '-'), 1 + (n - 1) % 10
FROM market.vocab v, generate_series(1, 200) AS n
ORDER BY 1;

-- 2,000 sellers (shops), numbered by size: a listing's or an order's seller is
-- 1 + floor(2000 * r^3), so seller 1 has ~8% of both and seller 2,000 about 30 listings. Each
-- shop has a home top-level category, 1 + (id * 7) % 20.
CREATE TABLE market.sellers (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    name       varchar(120) NOT NULL,
    slug       varchar(120) NOT NULL,
    country    char(2) NOT NULL,
    plan       varchar(16) NOT NULL,
    status     varchar(16) NOT NULL,
    rating     numeric(3, 2) NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO market.sellers (id, name, slug, country, plan, status, rating, created_at)
SELECT n,
       v.brand_pre[1 + n % 20] || v.brand_suf[1 + (n / 20) % 15] || ' '
           || (ARRAY['Studio', 'Shop', 'Goods', 'Supply', 'Atelier', 'Market', 'House', 'Co'])[1 + n % 8],
       lower(v.brand_pre[1 + n % 20] || v.brand_suf[1 + (n / 20) % 15]) || '-' || n,
       (ARRAY['US', 'US', 'US', 'GB', 'GB', 'DE', 'FR', 'NL', 'IT', 'ES', 'CA', 'AU'])[1 + floor(r1 * 12)::int],
       CASE WHEN n <= 40 THEN 'business' WHEN n <= 300 THEN 'pro' ELSE 'basic' END,
       CASE WHEN r2 < 0.95 THEN 'active' WHEN r2 < 0.98 THEN 'vacation' ELSE 'suspended' END,
       round((3.2 + 1.8 * sqrt(r1))::numeric, 2),
       now() - interval '1100 days' - interval '1500 days' * r2
FROM (SELECT n, random() AS r1, random() AS r2 FROM generate_series(1, 2000) AS n) g, market.vocab v
ORDER BY n;

-- 50,000 buyers, ids in sign-up order. last_seen_at is not correlated with the id: ~70%
-- were seen in the last 90 days; 60% accept marketing e-mails; 2% closed their account.
CREATE TABLE market.buyers (
    id               bigint GENERATED BY DEFAULT AS IDENTITY,
    email            varchar(254) NOT NULL,
    name             varchar(120) NOT NULL,
    country          char(2) NOT NULL,
    marketing_opt_in boolean NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    deleted_at       timestamptz
);
INSERT INTO market.buyers (id, email, name, country, marketing_opt_in, last_seen_at, created_at, deleted_at)
SELECT n,
       lower(f.first) || '.' || lower(l.last) || n || '@' || (ARRAY['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me'])[1 + n % 5],
       f.first || ' ' || l.last,
       (ARRAY['US', 'US', 'US', 'US', 'GB', 'GB', 'DE', 'DE', 'FR', 'NL', 'IT', 'ES', 'CA', 'AU', 'SE', 'PL'])[1 + floor(g.r1 * 16)::int],
       g.r2 < 0.6,
       greatest(g.created_at, now() - interval '300 days' * power(g.r3, 3)),
       g.created_at,
       CASE WHEN g.r4 < 0.02 THEN g.created_at + (now() - g.created_at) * g.r3 END
FROM (SELECT n, now() - interval '1100 days' * ((50000 - n + random()) / 50000) AS created_at,
             floor(random() * 24)::int AS fi, floor(random() * 20)::int AS li,
             random() AS r1, random() AS r2, random() AS r3, random() AS r4
      FROM generate_series(1, 50000) AS n) g
CROSS JOIN LATERAL (SELECT (ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace', 'Hugo',
        'Ines', 'Jack', 'Karim', 'Lea', 'Marc', 'Nina', 'Oscar', 'Paula', 'Rosa', 'Sofia', 'Tom',
        'Vera', 'Will', 'Yann', 'Zoe', 'Amir'])[1 + g.fi] AS first) f
CROSS JOIN LATERAL (SELECT (ARRAY['Martin', 'Bernard', 'Dubois', 'Smith', 'Johnson', 'Brown',
        'Garcia', 'Miller', 'Muller', 'Schmidt', 'Rossi', 'Tanaka', 'Silva', 'Khan', 'Nowak',
        'Jansen', 'Larsen', 'Kowalski', 'Moreau', 'Fischer'])[1 + g.li] AS last) l
ORDER BY n;

-- 200,000 listings over three years, ids in time order (growing: ~19% from the last 90
-- days). A listing's leaf category is in its shop's home top-level category 80% of the time;
-- within a top-level category the first leaves are the big ones. Title: style, colour,
-- material, noun, brand ("Rustic blue wood lamp by Novaline"). attributes: color (85%),
-- material (60%), brand (70%, popular brands first), size (clothing and shoes), condition,
-- discount_pct (~4%). tags: one to four distinct of the 120 (the first tag skewed to the
-- common ones, the others at a stride from it, so some pairs never meet). Status: ~75%
-- active and not deleted; drafts, sold out, archived (older listings more often) and 3%
-- soft-deleted.
CREATE TABLE market.listings (
    id          bigint GENERATED BY DEFAULT AS IDENTITY,
    seller_id   bigint NOT NULL,
    category_id integer NOT NULL,
    title       varchar(200) NOT NULL,
    description text NOT NULL,
    price       numeric(10, 2) NOT NULL,
    currency    char(3) NOT NULL DEFAULT 'USD',
    stock       integer NOT NULL,
    status      varchar(16) NOT NULL,
    attributes  jsonb NOT NULL DEFAULT '{}',
    tags        text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);
-- g draws the random numbers, h derives the small integers, d the values (each once per
-- row: a derived column used twice in the same SELECT would be computed twice).
WITH g AS MATERIALIZED (
    SELECT n, 1 + floor(2000 * power(random(), 3))::int AS seller_id,
           power((200000 - n + random()) / 200000, 1.5) AS age,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10,
           random() AS r11, random() AS r12, random() AS r13, random() AS r14, random() AS r15
    FROM generate_series(1, 200000) AS n
), h AS MATERIALIZED (
    SELECT g.*, CASE WHEN r1 < 0.8 THEN 1 + (seller_id * 7) % 20 ELSE 1 + floor(100 * (r1 - 0.8))::int END AS top,
           floor(10 * power(r2, 2))::int AS leaf,
           now() - interval '1095 days' * age AS created_at,
           floor(300 * power(r6 / 0.7, 2))::int AS b,
           floor(120 * power(r13, 2))::int AS t1,
           (ARRAY[1, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 49, 53, 59])[1 + floor(16 * r14)::int] AS s,
           1 + floor(4 * power(r15, 2))::int AS k
    FROM g
), d AS MATERIALIZED (
    SELECT n AS id, seller_id, 21 + (top - 1) * 10 + leaf AS category_id, created_at,
           v.nouns[1 + (top - 1) * 10 + leaf] AS noun, v.styles[1 + (n * 7919) % 16] AS style,
           CASE WHEN r4 < 0.85 THEN v.colors[1 + floor(12 * power(r4 / 0.85, 1.5))::int] END AS color,
           CASE WHEN r5 < 0.6 THEN v.materials[1 + floor(10 * r5 / 0.6)::int] END AS material,
           CASE WHEN r6 < 0.7 THEN v.brand_pre[1 + b % 20] || v.brand_suf[1 + b / 20] END AS brand,
           CASE WHEN top = 1 THEN (ARRAY['XS', 'S', 'M', 'L', 'XL', 'XXL'])[1 + floor(r11 * 6)::int]
                WHEN top = 2 THEN (36 + floor(r11 * 11)::int)::text END AS size,
           CASE WHEN top = 20 OR r7 > 0.9 THEN 'used' WHEN r7 > 0.85 THEN 'refurbished' ELSE 'new' END AS condition,
           CASE WHEN r12 < 0.04 THEN (ARRAY[10, 15, 20, 25, 30, 40, 50])[1 + floor(r12 * 175)::int] END AS discount_pct,
           round((2 + exp(1.2 + 4.3 * r3) * CASE WHEN top BETWEEN 6 AND 9 THEN 3 ELSE 1 END)::numeric, 2) AS price,
           CASE WHEN r8 < 0.03 THEN 'draft' WHEN r8 < 0.11 THEN 'sold_out' WHEN r8 < 0.11 + 0.3 * age THEN 'archived'
                ELSE 'active' END AS status,
           CASE WHEN r8 < 0.11 AND r8 >= 0.03 THEN 0 ELSE 1 + floor(50 * power(r10, 3))::int END AS stock,
           (ARRAY[v.tags[1 + t1], v.tags[1 + (t1 + s) % 120], v.tags[1 + (t1 + 2 * s) % 120],
                  v.tags[1 + (t1 + 3 * s) % 120]])[1:k] AS tags,
           created_at + (now() - created_at) * power(r8, 3) AS updated_at,
           CASE WHEN r9 < 0.03 THEN created_at + (now() - created_at) * r8 END AS deleted_at
    FROM h CROSS JOIN market.vocab v
)
INSERT INTO market.listings (id, seller_id, category_id, title, description, price, currency, stock, status,
                             attributes, tags, created_at, updated_at, deleted_at)
SELECT d.id, d.seller_id, d.category_id,
       d.style || ' ' || coalesce(d.color || ' ', '') || coalesce(d.material || ' ', '') || d.noun
           || coalesce(' by ' || d.brand, ''),
       'A ' || lower(d.style) || ' ' || d.noun || ', ' || d.condition || '. Ships within '
           || (1 + d.id % 5) || ' business days. Questions? Message the shop.',
       d.price, 'USD', d.stock, d.status,
       jsonb_strip_nulls(jsonb_build_object('color', d.color, 'material', d.material, 'brand', d.brand,
           'size', d.size, 'condition', d.condition, 'discount_pct', d.discount_pct)),
       d.tags, d.created_at, d.updated_at, d.deleted_at
FROM d;

-- The listings of each shop numbered from 0 in id order, for the order lines.
CREATE TEMP TABLE load_listings ON COMMIT DROP AS
SELECT id, seller_id, price, row_number() OVER (PARTITION BY seller_id ORDER BY id) - 1 AS seller_no
FROM market.listings;
ANALYZE load_listings;

-- 150,000 orders over two years, ids in time order (growing), each from one shop: buyers
-- 1 + floor(50000 * r^2) (early buyers order most), sellers as the listings. Lines: one to
-- three listings of the shop (its first listings sell most), at the listing's price. Status
-- by age: pending or paid for a day, then paid, shipped, delivered; 5% cancelled, 2%
-- refunded.
CREATE TEMP TABLE load_orders ON COMMIT DROP AS
SELECT n AS id, 1 + floor(50000 * power(random(), 2))::bigint AS buyer_id,
       1 + floor(2000 * power(random(), 3))::int AS seller_id,
       now() - interval '730 days' * power((150000 - n + random()) / 150000, 1.3) AS created_at,
       1 + floor(3 * power(random(), 3))::int AS k, random() AS r1
FROM generate_series(1, 150000) AS n;
ANALYZE load_orders;

CREATE TEMP TABLE seller_listings ON COMMIT DROP AS
SELECT seller_id, count(*)::int AS n FROM load_listings GROUP BY seller_id;

CREATE TEMP TABLE load_lines ON COMMIT DROP AS
WITH x AS MATERIALIZED (
    SELECT o.id AS order_id, j AS line_no, o.seller_id, sl.n, random() AS r, random() AS q
    FROM (SELECT * FROM load_orders ORDER BY id) o
    JOIN seller_listings sl USING (seller_id)
    CROSS JOIN LATERAL generate_series(1, o.k) AS j
)
SELECT x.order_id, x.line_no, l.id AS listing_id, 1 + floor(3 * power(x.q, 6))::int AS quantity, l.price AS unit_price
FROM x
JOIN load_listings l ON l.seller_id = x.seller_id AND l.seller_no = floor(x.n * power(x.r, 2))::int;
ANALYZE load_lines;

CREATE TABLE market.orders (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    buyer_id   bigint NOT NULL,
    seller_id  bigint NOT NULL,
    status     varchar(16) NOT NULL,
    total      numeric(12, 2) NOT NULL,
    currency   char(3) NOT NULL DEFAULT 'USD',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO market.orders (id, buyer_id, seller_id, status, total, currency, created_at, updated_at)
SELECT o.id, o.buyer_id, o.seller_id,
       CASE WHEN o.r1 < 0.05 THEN 'cancelled'
            WHEN o.r1 < 0.07 THEN 'refunded'
            WHEN o.created_at > now() - interval '1 day' THEN CASE WHEN o.r1 < 0.4 THEN 'pending' ELSE 'paid' END
            WHEN o.created_at > now() - interval '3 days' THEN 'paid'
            WHEN o.created_at > now() - interval '9 days' THEN 'shipped'
            ELSE 'delivered' END,
       t.total, 'USD', o.created_at,
       least(now(), o.created_at + interval '6 days' * o.r1)
FROM load_orders o
JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM load_lines GROUP BY order_id) t ON t.order_id = o.id
ORDER BY o.id;

CREATE TABLE market.order_lines (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    order_id   bigint NOT NULL,
    listing_id bigint NOT NULL,
    quantity   integer NOT NULL,
    unit_price numeric(10, 2) NOT NULL
);
INSERT INTO market.order_lines (order_id, listing_id, quantity, unit_price)
SELECT order_id, listing_id, quantity, unit_price FROM load_lines ORDER BY order_id, line_no;

-- Reviews: ~40% of the delivered order lines, a few days to three weeks after the order;
-- mostly five stars; 2% soft-deleted by moderation. Ids in time order.
CREATE TABLE market.reviews (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    listing_id bigint NOT NULL,
    buyer_id   bigint NOT NULL,
    order_id   bigint NOT NULL,
    rating     smallint NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);
WITH r AS MATERIALIZED (
    SELECT ol.listing_id, o.buyer_id, o.id AS order_id,
           least(now() - interval '1 hour', o.created_at + interval '3 days' + interval '20 days' * random()) AS created_at,
           random() AS r1, random() AS r2
    FROM (SELECT * FROM market.order_lines ORDER BY id) ol
    JOIN market.orders o ON o.id = ol.order_id
    WHERE o.status = 'delivered'
)
INSERT INTO market.reviews (listing_id, buyer_id, order_id, rating, body, created_at, deleted_at)
SELECT listing_id, buyer_id, order_id,
       CASE WHEN r1 < 0.6 THEN 5 WHEN r1 < 0.82 THEN 4 WHEN r1 < 0.91 THEN 3 WHEN r1 < 0.95 THEN 2 ELSE 1 END,
       (ARRAY['Exactly as described, thank you!', 'Lovely quality, fast shipping.', 'Good value for the price.',
              'Took a while to arrive but worth it.', 'Smaller than I expected.', 'Beautiful, bought a second one.',
              'The colour is a bit different from the photos.', 'Great seller, would buy again.',
              'Arrived damaged, the seller sent a replacement.', 'Not what I ordered.'])[1 + floor(r2 * 10)::int],
       created_at,
       CASE WHEN r2 * 61 - floor(r2 * 61) < 0.02 THEN created_at + interval '2 days' END
FROM r
WHERE r2 * 7 - floor(r2 * 7) < 0.4
ORDER BY created_at;

-- 250,000 favourites: buyers 1 + floor(50000 * r^2) (buyer 1 has ~1,100), recent listings
-- favoured, some time after the listing appeared. Ids in time order.
CREATE TABLE market.favourites (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    buyer_id   bigint NOT NULL,
    listing_id bigint NOT NULL,
    created_at timestamptz NOT NULL
);
WITH f AS MATERIALIZED (
    SELECT 1 + floor(50000 * power(random(), 2))::bigint AS buyer_id,
           200000 - floor(200000 * power(random(), 1.5))::bigint AS listing_id, random() AS r
    FROM generate_series(1, 250000)
)
INSERT INTO market.favourites (buyer_id, listing_id, created_at)
SELECT f.buyer_id, f.listing_id, lc.created_at + (now() - lc.created_at) * f.r
FROM f
-- The latest time a listing with that id can have been created (see load_listings).
CROSS JOIN LATERAL (SELECT now() - interval '1095 days' * power((200000 - f.listing_id)::float8 / 200000, 1.5) AS created_at) lc
ORDER BY 3;

-- Keys after the data: one index build and one validating join each, instead of per-row
-- work. Identity sequences continue after the loaded ids, for the workload's inserts.
ALTER TABLE market.categories ADD PRIMARY KEY (id);
ALTER TABLE market.sellers ADD PRIMARY KEY (id);
ALTER TABLE market.buyers ADD PRIMARY KEY (id);
ALTER TABLE market.listings ADD PRIMARY KEY (id);
ALTER TABLE market.orders ADD PRIMARY KEY (id);
ALTER TABLE market.order_lines ADD PRIMARY KEY (id);
ALTER TABLE market.reviews ADD PRIMARY KEY (id);
ALTER TABLE market.favourites ADD PRIMARY KEY (id);
ALTER TABLE market.categories
    ADD FOREIGN KEY (parent_id) REFERENCES market.categories (id);
ALTER TABLE market.listings
    ADD FOREIGN KEY (seller_id) REFERENCES market.sellers (id),
    ADD FOREIGN KEY (category_id) REFERENCES market.categories (id);
ALTER TABLE market.orders
    ADD FOREIGN KEY (buyer_id) REFERENCES market.buyers (id),
    ADD FOREIGN KEY (seller_id) REFERENCES market.sellers (id);
ALTER TABLE market.order_lines
    ADD FOREIGN KEY (order_id) REFERENCES market.orders (id),
    ADD FOREIGN KEY (listing_id) REFERENCES market.listings (id);
ALTER TABLE market.reviews
    ADD FOREIGN KEY (listing_id) REFERENCES market.listings (id),
    ADD FOREIGN KEY (buyer_id) REFERENCES market.buyers (id),
    ADD FOREIGN KEY (order_id) REFERENCES market.orders (id);
ALTER TABLE market.favourites
    ADD FOREIGN KEY (buyer_id) REFERENCES market.buyers (id),
    ADD FOREIGN KEY (listing_id) REFERENCES market.listings (id);
SELECT setval(pg_get_serial_sequence('market.sellers', 'id'), (SELECT max(id) FROM market.sellers)),
       setval(pg_get_serial_sequence('market.buyers', 'id'), (SELECT max(id) FROM market.buyers)),
       setval(pg_get_serial_sequence('market.listings', 'id'), (SELECT max(id) FROM market.listings)),
       setval(pg_get_serial_sequence('market.orders', 'id'), (SELECT max(id) FROM market.orders)),
       setval(pg_get_serial_sequence('market.order_lines', 'id'), (SELECT max(id) FROM market.order_lines)),
       setval(pg_get_serial_sequence('market.reviews', 'id'), (SELECT max(id) FROM market.reviews)),
       setval(pg_get_serial_sequence('market.favourites', 'id'), (SELECT max(id) FROM market.favourites))
;
DROP VIEW market.vocab;
DROP FUNCTION market.vocab_tops(), market.vocab_nouns(), market.vocab_colors(), market.vocab_materials(),
    market.vocab_styles(), market.vocab_brand_pre(), market.vocab_brand_suf(), market.vocab_tags();
COMMIT;

-- Hint bits, visibility map and statistics, so the first queries measured are not the ones
-- paying for them.
VACUUM (ANALYZE) market.categories, market.sellers, market.buyers, market.listings, market.orders,
    market.order_lines, market.reviews, market.favourites;
