-- Organisation report: open issues not touched since a month before today, counted over
-- the organisation's projects (a join; the window is CURRENT_DATE - interval '30 days').
-- Organisations are drawn with the skew of schema.sql (low ids are big).
\set oid least(:organizations, 1 + int(:organizations * pow(random(0, 999999) / 1000000.0, 2)))
SELECT COUNT(*) AS "__count" FROM "tracker"."issues" INNER JOIN "tracker"."projects" ON ("tracker"."issues"."project_id" = "tracker"."projects"."id") WHERE ("tracker"."projects"."organization_id" = :oid AND NOT ("tracker"."issues"."state" = 'closed') AND "tracker"."issues"."deleted_at" IS NULL AND "tracker"."issues"."updated_at" < (CURRENT_DATE - interval '30 days'));
