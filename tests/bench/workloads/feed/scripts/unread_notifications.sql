-- The notifications tab: my unread notifications, newest first, with the actor's name.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
SELECT n.id, n.kind, n.actor_id, u.username, n.post_id, n.created_at FROM feed.notifications n JOIN feed.users u ON u.id = n.actor_id WHERE n.user_id = :uid AND n.read_at IS NULL ORDER BY n.created_at DESC LIMIT 50;
