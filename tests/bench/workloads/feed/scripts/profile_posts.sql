-- A user's profile, page 2+: keyset pagination on (created_at, id) from the last post of
-- the previous page. The cursor is a recent post, so prolific authors are paged most.
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
SELECT author_id AS aid, created_at AS ts, id AS cursor_id FROM feed.posts WHERE id = :pid \gset
SELECT id, author_id, community_id, body, created_at FROM feed.posts WHERE author_id = :aid AND deleted_at IS NULL AND (created_at, id) < (:ts, :cursor_id) ORDER BY created_at DESC, id DESC LIMIT 20;
