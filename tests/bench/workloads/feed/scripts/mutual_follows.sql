-- "Friends": the accounts I follow that follow me back, by username (a self-join of follows).
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
SELECT u.id, u.username, u.display_name FROM feed.follows a JOIN feed.follows b ON b.follower_id = a.followee_id AND b.followee_id = a.follower_id JOIN feed.users u ON u.id = a.followee_id WHERE a.follower_id = :uid AND u.deleted_at IS NULL ORDER BY u.username LIMIT 50;
