-- A community's feed, newest first, shown to members only: the membership gate is an
-- EXISTS in the same statement. The member and community come from a membership drawn by
-- id, so big communities are read most.
\set mid random(1, :memberships)
SELECT community_id AS cid, user_id AS uid FROM feed.memberships WHERE id = :mid \gset
SELECT p.id, p.author_id, u.username, p.body, p.created_at FROM feed.posts p JOIN feed.users u ON u.id = p.author_id WHERE p.community_id = :cid AND p.deleted_at IS NULL AND EXISTS (SELECT 1 FROM feed.memberships m WHERE m.community_id = :cid AND m.user_id = :uid) ORDER BY p.created_at DESC LIMIT 30;
