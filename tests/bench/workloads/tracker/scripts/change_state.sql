-- Close a recent open issue, or reopen a closed one, and record the event, in one
-- transaction. The issue moves out of (or into) the open-issue lists.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
SELECT (state = 'closed')::int AS is_closed, project_id AS pid, coalesce(assignee_id, author_id) AS uid FROM tracker.issues WHERE id = :iid \gset
BEGIN;
\if :is_closed
UPDATE "tracker"."issues" SET "state" = 'open', "closed_at" = NULL, "updated_at" = STATEMENT_TIMESTAMP() WHERE "tracker"."issues"."id" = :iid;
INSERT INTO "tracker"."issue_events" ("issue_id", "project_id", "actor_id", "kind", "created_at") VALUES (:iid, :pid, :uid, 'reopened', STATEMENT_TIMESTAMP()) RETURNING "tracker"."issue_events"."id";
\else
UPDATE "tracker"."issues" SET "state" = 'closed', "closed_at" = STATEMENT_TIMESTAMP(), "updated_at" = STATEMENT_TIMESTAMP() WHERE "tracker"."issues"."id" = :iid;
INSERT INTO "tracker"."issue_events" ("issue_id", "project_id", "actor_id", "kind", "created_at") VALUES (:iid, :pid, :uid, 'closed', STATEMENT_TIMESTAMP()) RETURNING "tracker"."issue_events"."id";
\endif
END;
