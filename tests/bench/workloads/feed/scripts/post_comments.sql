-- The comments under a post, oldest first, with their authors: the sort key after the
-- equality key.
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
SELECT c.id, c.author_id, u.username, u.display_name, c.body, c.created_at FROM feed.comments c JOIN feed.users u ON u.id = c.author_id WHERE c.post_id = :pid AND c.deleted_at IS NULL ORDER BY c.created_at LIMIT 50;
