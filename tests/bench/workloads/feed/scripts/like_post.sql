-- The heart button on a recent post: like it (idempotent, ON CONFLICT DO NOTHING) and notify
-- its author, in one transaction, or (15%) unlike it. The notification's recipient comes
-- from the post in the same INSERT ... SELECT; none for liking one's own post.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
\set r random(1, 100)
\if :r <= 85
BEGIN;
INSERT INTO feed.likes (user_id, post_id, created_at) VALUES (:uid, :pid, now()) ON CONFLICT DO NOTHING;
INSERT INTO feed.notifications (user_id, actor_id, kind, post_id, created_at) SELECT p.author_id, :uid, 'like', p.id, now() FROM feed.posts p WHERE p.id = :pid AND p.author_id <> :uid;
COMMIT;
\else
DELETE FROM feed.likes WHERE user_id = :uid AND post_id = :pid;
\endif
