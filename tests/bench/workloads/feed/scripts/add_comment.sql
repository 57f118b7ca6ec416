-- A comment on a recent post and the notification of its author, in one transaction.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
\set k random(1, 5)
SELECT (ARRAY['So true!', 'Love this.', 'Where was this taken?', 'Congrats!', 'Thanks for sharing.'])[:k] AS body \gset
BEGIN;
INSERT INTO feed.comments (post_id, author_id, body, created_at) VALUES (:pid, :uid, :body, now()) RETURNING id;
INSERT INTO feed.notifications (user_id, actor_id, kind, post_id, created_at) SELECT p.author_id, :uid, 'comment', p.id, now() FROM feed.posts p WHERE p.id = :pid AND p.author_id <> :uid;
COMMIT;
