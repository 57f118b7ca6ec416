-- A brand page, cheapest first: where("attributes ->> 'brand' = ?", brand), an expression
-- equality. Brands are drawn with the skew of schema.sql (brand b = prefix b % 20, suffix
-- b / 20; popular brands first).
\set b int(300 * pow(random(0, 999999) / 1000000.0, 2))
SELECT (ARRAY['Nord', 'Alta', 'Bello', 'Casa', 'Dune', 'Echo', 'Fjord', 'Gala', 'Hana', 'Isla', 'Juno', 'Kira', 'Luma', 'Mira', 'Nova', 'Orla', 'Pico', 'Rumi', 'Sola', 'Terra'])[1 + :b % 20] || (ARRAY['vik', 'line', 'works', 'craft', 'studio', 'lab', 'wear', 'home', 'co', 'haus', 'gear', 'nest', 'field', 'tone', 'berg'])[1 + :b / 20] AS brand \gset
SELECT "market"."listings".* FROM "market"."listings" WHERE "market"."listings"."status" = 'active' AND "market"."listings"."deleted_at" IS NULL AND ("market"."listings"."attributes" ->> 'brand') = :brand ORDER BY "market"."listings"."price" ASC LIMIT 24;
