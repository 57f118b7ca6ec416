-- Login: User.objects.get(email__iexact=...), which Django writes as
-- UPPER("email"::text) = UPPER($1). Typed in lower case; stored emails keep their case.
\set uid random(1, :users)
SELECT lower(email) AS email FROM tracker.users WHERE id = :uid \gset
SELECT "tracker"."users"."id", "tracker"."users"."organization_id", "tracker"."users"."email", "tracker"."users"."username", "tracker"."users"."full_name", "tracker"."users"."is_active", "tracker"."users"."is_staff", "tracker"."users"."last_login", "tracker"."users"."date_joined", "tracker"."users"."deleted_at" FROM "tracker"."users" WHERE (UPPER("tracker"."users"."email"::text) = UPPER(:email) AND "tracker"."users"."deleted_at" IS NULL) LIMIT 21;
