-- Trap: monthly active users per organisation for the billing job. The window, written
-- inline (now() - interval '30 days'), keeps ~75% of the users, whose last_login is not
-- correlated with their place in the table: a sequential scan is the best plan. An advisor
-- that cannot see through `interval $2` and guesses a selective range would index it.
SELECT "tracker"."users"."organization_id", COUNT("tracker"."users"."id") AS "active" FROM "tracker"."users" WHERE ("tracker"."users"."deleted_at" IS NULL AND "tracker"."users"."is_active" AND "tracker"."users"."last_login" >= (now() - interval '30 days')) GROUP BY "tracker"."users"."organization_id" ORDER BY "active" DESC;
