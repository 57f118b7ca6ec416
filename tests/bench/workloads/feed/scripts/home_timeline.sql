-- Home timeline: the last three days of posts by the accounts I follow, newest first, with
-- their authors, as the web backend writes it (a join on follows; the window inline). The
-- viewer is drawn like the active users of schema.sql (1 + floor(users * r^1.4)).
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
SELECT p.id, p.author_id, u.username, u.display_name, p.community_id, p.body, p.created_at FROM feed.posts p JOIN feed.follows f ON f.followee_id = p.author_id JOIN feed.users u ON u.id = p.author_id WHERE f.follower_id = :uid AND p.deleted_at IS NULL AND p.created_at > now() - interval '3 days' ORDER BY p.created_at DESC LIMIT 30;
