-- Dashboard: open issues per project for five projects, project_id = ANY(array) with
-- .values('project_id').annotate(open_count=Count('id')).
\set p1 least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
\set p2 least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
\set p3 least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
\set p4 least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
\set p5 least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT "tracker"."issues"."project_id", COUNT("tracker"."issues"."id") AS "open_count" FROM "tracker"."issues" WHERE ("tracker"."issues"."project_id" = ANY(ARRAY[:p1, :p2, :p3, :p4, :p5]::bigint[]) AND NOT ("tracker"."issues"."state" = 'closed') AND "tracker"."issues"."deleted_at" IS NULL) GROUP BY "tracker"."issues"."project_id";
