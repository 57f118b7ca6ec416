-- Home timeline as the mobile API (a separate Go service) writes it: the followed accounts
-- in an IN subquery instead of a join, no author columns.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
SELECT id, author_id, community_id, body, created_at FROM feed.posts WHERE author_id IN (SELECT followee_id FROM feed.follows WHERE follower_id = :uid) AND deleted_at IS NULL AND created_at > now() - interval '3 days' ORDER BY created_at DESC LIMIT 30;
