-- A project's activity feed over the last week, the window written inline as the
-- application does (now() - interval '7 days'; pg_stat_statements shows `interval $2`).
\set pid least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT "tracker"."issue_events"."id", "tracker"."issue_events"."issue_id", "tracker"."issue_events"."project_id", "tracker"."issue_events"."actor_id", "tracker"."issue_events"."kind", "tracker"."issue_events"."created_at" FROM "tracker"."issue_events" WHERE ("tracker"."issue_events"."project_id" = :pid AND "tracker"."issue_events"."created_at" >= (now() - interval '7 days')) ORDER BY "tracker"."issue_events"."created_at" DESC LIMIT 50;
