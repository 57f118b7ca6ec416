-- Operators only a GIN index serves, as applications write them: jsonb containment and key
-- existence, array overlap and containment (either side), and substring searches whose
-- pattern is built around the parameter or is the parameter itself.
SELECT "public"."products"."id" FROM "public"."products"
JOIN "public"."events" ON "public"."events"."user_id" = "public"."products"."id"
WHERE "public"."events"."payload" @> $1::jsonb
  AND "public"."events"."payload" ? 'campaign'
  AND "public"."products"."tags" && ARRAY[$2, $3]::text[]
  AND $4::text[] <@ "public"."products"."tags"
  AND "public"."products"."name" ILIKE '%' || $5 || '%'
  AND "public"."products"."sku" LIKE $6
  AND "public"."products"."sku" NOT LIKE '%-old'
  AND lower("public"."products"."name") LIKE '%lamp%'
