-- Page 2+ of a project's open issues, keyset-paginated on (created_at, id) as a cursor
-- pagination library writes it. The cursor is an issue of the project, recent ones more
-- often, so projects are listed in proportion to their recent issues.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
SELECT project_id AS pid, created_at AS ts, id AS cursor_id FROM tracker.issues WHERE id = :iid \gset
SELECT "tracker"."issues"."id", "tracker"."issues"."project_id", "tracker"."issues"."number", "tracker"."issues"."title", "tracker"."issues"."description", "tracker"."issues"."state", "tracker"."issues"."priority", "tracker"."issues"."author_id", "tracker"."issues"."assignee_id", "tracker"."issues"."created_at", "tracker"."issues"."updated_at", "tracker"."issues"."closed_at", "tracker"."issues"."deleted_at" FROM "tracker"."issues" WHERE ("tracker"."issues"."project_id" = :pid AND NOT ("tracker"."issues"."state" = 'closed') AND "tracker"."issues"."deleted_at" IS NULL AND ("tracker"."issues"."created_at", "tracker"."issues"."id") < (:ts, :cursor_id)) ORDER BY "tracker"."issues"."created_at" DESC, "tracker"."issues"."id" DESC LIMIT 21;
