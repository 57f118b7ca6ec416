-- The project switcher: projects whose memberships include the user, an IN subquery
-- (Project.objects.filter(id__in=Membership.objects.filter(user=...).values('project_id'))).
\set uid random(1, :users)
SELECT "tracker"."projects"."id", "tracker"."projects"."organization_id", "tracker"."projects"."key", "tracker"."projects"."name", "tracker"."projects"."description", "tracker"."projects"."is_private", "tracker"."projects"."created_at", "tracker"."projects"."deleted_at" FROM "tracker"."projects" WHERE ("tracker"."projects"."deleted_at" IS NULL AND "tracker"."projects"."id" IN (SELECT U0."project_id" FROM "tracker"."project_members" U0 WHERE (U0."deleted_at" IS NULL AND U0."user_id" = :uid))) ORDER BY "tracker"."projects"."name" ASC;
