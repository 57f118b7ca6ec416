-- /projects/<key>/issues/<number>/: Issue.objects.get(project=..., number=...) (LIMIT 21 is
-- Django's guard against MultipleObjectsReturned). Recent issues are opened most.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
SELECT project_id AS pid, number AS num FROM tracker.issues WHERE id = :iid \gset
SELECT "tracker"."issues"."id", "tracker"."issues"."project_id", "tracker"."issues"."number", "tracker"."issues"."title", "tracker"."issues"."description", "tracker"."issues"."state", "tracker"."issues"."priority", "tracker"."issues"."author_id", "tracker"."issues"."assignee_id", "tracker"."issues"."created_at", "tracker"."issues"."updated_at", "tracker"."issues"."closed_at", "tracker"."issues"."deleted_at" FROM "tracker"."issues" WHERE ("tracker"."issues"."number" = :num AND "tracker"."issues"."project_id" = :pid AND "tracker"."issues"."deleted_at" IS NULL) LIMIT 21;
