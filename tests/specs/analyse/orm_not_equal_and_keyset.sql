-- As Django writes them: `exclude(state='closed')` is NOT (… = …), a not-equal the planner
-- reads as `<>`; a keyset cursor is a row comparison; a typed-literal window as
-- pg_stat_statements stores it (`interval $4`) is read as a cast.
SELECT "public"."orders"."id" FROM "public"."orders" WHERE ("public"."orders"."tenant_id" = $1 AND NOT ("public"."orders"."status" = 'closed') AND "public"."orders"."status" <> 'void' AND ("public"."orders"."created_at", "public"."orders"."id") < ($2, $3) AND "public"."orders"."created_at" > now() - interval $4) ORDER BY "public"."orders"."created_at" DESC, "public"."orders"."id" DESC LIMIT 21
