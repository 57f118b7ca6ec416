-- Marketplace-wide facets (colour and material), sorted by lowest price: jsonb containment as
-- ActiveRecord sends it, where("attributes @> ?::jsonb", {color:, material:}.to_json), the
-- document a string parameter cast to jsonb (0.3% to 1% of the listings match).
\set c random(1, 12)
\set m random(1, 10)
SELECT jsonb_build_object('color', (ARRAY['black', 'white', 'grey', 'blue', 'red', 'green', 'brown', 'beige', 'pink', 'yellow', 'purple', 'orange'])[:c], 'material', (ARRAY['cotton', 'leather', 'wool', 'linen', 'wood', 'ceramic', 'metal', 'glass', 'silk', 'plastic'])[:m])::text AS facets \gset
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL AND "market"."listings"."attributes" @> :facets::jsonb ORDER BY "market"."listings"."price" ASC LIMIT 24;
