-- The "Open (n)" tab counter of a project: .count(). Big projects are viewed most (project
-- ids are drawn with the skew of schema.sql).
\set pid least(:projects, 1 + int(:projects * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT COUNT(*) AS "__count" FROM "tracker"."issues" WHERE ("tracker"."issues"."project_id" = :pid AND NOT ("tracker"."issues"."state" = 'closed') AND "tracker"."issues"."deleted_at" IS NULL);
