-- An issue's history, oldest first: the sort key after the equality key.
\set iid :issues - random_exponential(0, :issues - 1, 4.0)
SELECT "tracker"."issue_events"."id", "tracker"."issue_events"."issue_id", "tracker"."issue_events"."project_id", "tracker"."issue_events"."actor_id", "tracker"."issue_events"."kind", "tracker"."issue_events"."created_at" FROM "tracker"."issue_events" WHERE "tracker"."issue_events"."issue_id" = :iid ORDER BY "tracker"."issue_events"."created_at" ASC;
