-- Trap: the account managers' page lists the paying organisations (plan__in, written inline),
-- 49 of the 120, in two pages: a sequential scan and a sort of 49 rows beat any index, even a
-- partial one in name order. No helper statement before it (bench-advisor fingerprints a trap
-- script's text after its last semicolon).
SELECT "tracker"."organizations"."id", "tracker"."organizations"."name", "tracker"."organizations"."slug", "tracker"."organizations"."plan", "tracker"."organizations"."created_at", "tracker"."organizations"."deleted_at" FROM "tracker"."organizations" WHERE ("tracker"."organizations"."deleted_at" IS NULL AND "tracker"."organizations"."plan" IN ('team', 'enterprise')) ORDER BY "tracker"."organizations"."name" ASC;
