-- Leaving the notifications tab: mark all of them read.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
UPDATE feed.notifications SET read_at = now() WHERE user_id = :uid AND read_at IS NULL;
