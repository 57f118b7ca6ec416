-- "Assigned to me": open issues of one user, most recently updated first, annotated with
-- their comment count by a scalar subquery keyed by the outer issue. The user is the
-- assignee (or author) of a recent issue.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
SELECT coalesce(assignee_id, author_id) AS uid FROM tracker.issues WHERE id = :iid \gset
SELECT "tracker"."issues"."id", "tracker"."issues"."project_id", "tracker"."issues"."number", "tracker"."issues"."title", "tracker"."issues"."description", "tracker"."issues"."state", "tracker"."issues"."priority", "tracker"."issues"."author_id", "tracker"."issues"."assignee_id", "tracker"."issues"."created_at", "tracker"."issues"."updated_at", "tracker"."issues"."closed_at", "tracker"."issues"."deleted_at", (SELECT COUNT(*) FROM "tracker"."comments" U0 WHERE (U0."deleted_at" IS NULL AND U0."issue_id" = ("tracker"."issues"."id"))) AS "comment_count" FROM "tracker"."issues" WHERE ("tracker"."issues"."assignee_id" = :uid AND NOT ("tracker"."issues"."state" = 'closed') AND "tracker"."issues"."deleted_at" IS NULL) ORDER BY "tracker"."issues"."updated_at" DESC LIMIT 21;
