-- Before showing a post or profile: has either of us blocked the other? An EXISTS with an
-- OR of both directions over blocks' primary key. The other user is the author of a recent
-- post.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
SELECT author_id AS aid FROM feed.posts WHERE id = :pid \gset
SELECT EXISTS (SELECT 1 FROM feed.blocks WHERE (blocker_id = :aid AND blocked_id = :uid) OR (blocker_id = :uid AND blocked_id = :aid)) AS blocked;
