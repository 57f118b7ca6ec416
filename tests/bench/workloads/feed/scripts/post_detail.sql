-- Post page: the post, its author, and its like and comment counts as scalar subqueries
-- (no denormalised counters). Recent posts are opened most.
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
SELECT p.id, p.author_id, u.username, u.display_name, p.community_id, p.body, p.created_at, (SELECT count(*) FROM feed.likes l WHERE l.post_id = p.id) AS like_count, (SELECT count(*) FROM feed.comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL) AS comment_count FROM feed.posts p JOIN feed.users u ON u.id = p.author_id WHERE p.id = :pid AND p.deleted_at IS NULL;
