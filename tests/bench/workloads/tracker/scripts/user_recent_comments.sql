-- A user's profile: their comments of the last 30 days, newest first. The user wrote a
-- recent comment (busy users are looked at most).
\set cid :comments - random_exponential(0, :comments - 1, 4.0)
SELECT author_id AS uid FROM tracker.comments WHERE id = :cid \gset
SELECT "tracker"."comments"."id", "tracker"."comments"."issue_id", "tracker"."comments"."author_id", "tracker"."comments"."body", "tracker"."comments"."created_at", "tracker"."comments"."updated_at", "tracker"."comments"."deleted_at" FROM "tracker"."comments" WHERE ("tracker"."comments"."author_id" = :uid AND "tracker"."comments"."deleted_at" IS NULL AND "tracker"."comments"."created_at" >= (now() - interval '30 days')) ORDER BY "tracker"."comments"."created_at" DESC LIMIT 21;
