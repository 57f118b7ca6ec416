-- prefetch_related('labels') for a page of ten issues: the many-to-many through table,
-- issue_id = ANY(array). Ids near each other, recent ones more often.
\set i1 :issues - random_exponential(0, :issues - 1, 4.0)
\set i2 :i1 - random(1, 40)
\set i3 :i2 - random(1, 40)
\set i4 :i3 - random(1, 40)
\set i5 :i4 - random(1, 40)
\set i6 :i5 - random(1, 40)
\set i7 :i6 - random(1, 40)
\set i8 :i7 - random(1, 40)
\set i9 :i8 - random(1, 40)
\set i10 :i9 - random(1, 40)
SELECT ("tracker"."issue_labels"."issue_id") AS "_prefetch_related_val_issue_id", "tracker"."labels"."id", "tracker"."labels"."project_id", "tracker"."labels"."name", "tracker"."labels"."color" FROM "tracker"."labels" INNER JOIN "tracker"."issue_labels" ON ("tracker"."labels"."id" = "tracker"."issue_labels"."label_id") WHERE "tracker"."issue_labels"."issue_id" = ANY(ARRAY[:i1, :i2, :i3, :i4, :i5, :i6, :i7, :i8, :i9, :i10]::bigint[]);
