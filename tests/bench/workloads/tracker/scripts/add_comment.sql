-- A comment on a recent issue by its assignee (or author), in one transaction
-- (transaction.atomic): the comment, its activity event, and the issue's updated_at bumped
-- with Django's Now() (STATEMENT_TIMESTAMP()). deleted_at is the literal NULL an ORM sends as
-- a parameter: pgbench cannot bind NULL.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
\set k random(1, 5)
SELECT project_id AS pid, coalesce(assignee_id, author_id) AS uid, (ARRAY['Any update on this?', 'Can reproduce on my machine.', 'Fixed in the latest build, please check.', 'I will take a look tomorrow.', 'Works for me now, thanks!'])[:k] AS body FROM tracker.issues WHERE id = :iid \gset
BEGIN;
INSERT INTO "tracker"."comments" ("issue_id", "author_id", "body", "created_at", "updated_at", "deleted_at") VALUES (:iid, :uid, :body, STATEMENT_TIMESTAMP(), STATEMENT_TIMESTAMP(), NULL) RETURNING "tracker"."comments"."id";
INSERT INTO "tracker"."issue_events" ("issue_id", "project_id", "actor_id", "kind", "created_at") VALUES (:iid, :pid, :uid, 'commented', STATEMENT_TIMESTAMP()) RETURNING "tracker"."issue_events"."id";
UPDATE "tracker"."issues" SET "updated_at" = STATEMENT_TIMESTAMP() WHERE "tracker"."issues"."id" = :iid;
END;
