-- Follow an account (popular ones most) and notify it, in one transaction. ON CONFLICT DO
-- NOTHING makes a repeated follow harmless; post_id is the literal NULL (pgbench cannot bind
-- NULL).
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set fid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 3) - 0.5))
\if :fid = :uid
\set fid 1 + :fid % :users
\endif
BEGIN;
INSERT INTO feed.follows (follower_id, followee_id, created_at) VALUES (:uid, :fid, now()) ON CONFLICT DO NOTHING;
INSERT INTO feed.notifications (user_id, actor_id, kind, post_id, created_at) VALUES (:fid, :uid, 'follow', NULL, now());
COMMIT;
