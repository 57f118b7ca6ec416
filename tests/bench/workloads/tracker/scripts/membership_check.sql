-- The permission check on every project page: .filter(project=..., user=...).exists().
-- A membership drawn by id, so big projects and busy users are checked most.
\set mid random(1, :project_members)
SELECT project_id AS pid, user_id AS uid FROM tracker.project_members WHERE id = :mid \gset
SELECT 1 AS "a" FROM "tracker"."project_members" WHERE ("tracker"."project_members"."project_id" = :pid AND "tracker"."project_members"."user_id" = :uid AND "tracker"."project_members"."deleted_at" IS NULL) LIMIT 1;
