-- Secondary indexes an experienced DBA would add for the feed workload (scripts/*.sql), a
-- social network's feed service whose SQL is hand-written by its backend: every read of
-- posts and comments carries `deleted_at IS NULL` (soft deletes) and the notification
-- badge reads `read_at IS NULL`; both are literals in the query text, so partial indexes
-- on them serve custom and generic plans alike and stay small (2% of posts and comments
-- are deleted, two thirds of the notifications are read). Each comment names the statements the index
-- serves. Deliberately none for:
-- liked_by_me and like_post (likes' primary key (user_id, post_id) answers the EXISTS, the
-- ON CONFLICT and the unlike DELETE), is_blocked (blocks' primary key (blocker_id,
-- blocked_id), one probe per direction of the OR), the following count of follow_counts
-- (follows' primary key (follower_id, followee_id)), monthly_active_users (trap: its 30-day
-- window, written inline, keeps ~84% of the users, whose last_seen_at is not correlated
-- with their place in the table: a sequential scan is the best plan), hashtags (2,000 rows,
-- hashed for trending_hashtags' join) and communities (read by primary key only),
-- and the foreign keys no statement filters on (notifications.actor_id / post_id,
-- comments.author_id, post_hashtags.hashtag_id, blocks.blocked_id, memberships.user_id):
-- an index there would only slow the frequent inserts down.
-- Writes: like_post, add_comment and follow_user each add a notification (an entry in the
-- unread partial index) and a like (likes_post), a comment (comments_post_created) or a
-- follow (follows_followee); create_post pays for posts_author_created and
-- post_hashtags_created (not for posts_community_created: its community_id is NULL);
-- mark_notifications_read takes rows out of notifications_unread, and since read_at is in
-- that index's predicate its UPDATE cannot be HOT.
--
-- Measured: PostgreSQL 15.18, shared_buffers = 256MB, fsync = off, 2 cores shared with
-- several similar jobs (load average 8-11), fresh load each round, `run.sh feed -c 4 -j 2
-- -T 15`, 0 failed transactions, four rounds each: no secondary index 123 / 89 / 104 / 111
-- tps (home_timeline, home_timeline_in, post_detail, profile_posts, community_feed and
-- follow_counts 45-100 ms each: sequential scans of posts, likes and follows), these 8
-- indexes (29 MB) 4,310 / 3,765 / 4,126 / 4,663 tps (every statement under 1 ms except
-- trending_hashtags, ~1.3 ms, and the monthly_active_users trap, ~33 ms under this load,
-- which then takes most of the time).
-- Each index was checked with EXPLAIN (custom and generic plans, heavy and light users) and
-- with auto_explain during a run to be used by every statement its comment names. With
-- HypoPG, indexes on users (last_seen_at), (last_seen_at) WHERE deleted_at IS NULL,
-- (country, last_seen_at) and (last_seen_at) INCLUDE (country) are not chosen for the trap,
-- at random_page_cost 4 or 1.1; a covering partial index, (last_seen_at, country) or
-- (last_seen_at) INCLUDE (country) WHERE deleted_at IS NULL, would be (at both settings), and
-- its index-only scan is faster than the sequential scan (~2 ms against ~6.5 ms).

-- home_timeline and home_timeline_in (for each followed account, equality on the author,
-- then the 3-day window; the few posts found are sorted), profile_posts (equality, then the
-- keyset row comparison (created_at, id) < ($2, $3) as an index condition; read backwards
-- for ORDER BY created_at DESC, id DESC, or bitmap-scanned and sorted for a light author
-- and in the generic plan).
CREATE INDEX posts_author_created ON feed.posts (author_id, created_at, id) WHERE deleted_at IS NULL;

-- community_feed: equality on the community, then ORDER BY created_at DESC read backwards.
-- Only the ~25% of posts made in a community (the equality implies IS NOT NULL).
CREATE INDEX posts_community_created ON feed.posts (community_id, created_at) WHERE deleted_at IS NULL AND community_id IS NOT NULL;

-- post_detail: the like-count scalar subquery, keyed by the post (index-only count). The
-- primary key leads with user_id and cannot serve it.
CREATE INDEX likes_post ON feed.likes (post_id);

-- post_comments (equality, then the ORDER BY created_at) and the comment-count scalar
-- subquery of post_detail.
CREATE INDEX comments_post_created ON feed.comments (post_id, created_at) WHERE deleted_at IS NULL;

-- unread_notifications (equality, then ORDER BY created_at DESC LIMIT 50 read backwards;
-- bitmap-scanned and sorted in the generic plan) and mark_notifications_read (the same
-- rows): only unread notifications are indexed.
CREATE INDEX notifications_unread ON feed.notifications (user_id, created_at) WHERE read_at IS NULL;

-- follow_counts: the followers count (followee_id = $1, index-only); the reverse of the
-- primary key, as a join table's second direction usually gets. mutual_follows: the
-- accounts following me (followee_id = $1, index-only) merge-joined with those I follow
-- (primary key); without this index the primary key alone serves it, probing each account I
-- follow for a follow back.
CREATE INDEX follows_followee ON feed.follows (followee_id, follower_id);

-- trending_hashtags: the 24-hour window on the denormalised created_at, hashtag_id
-- included so that the window is counted from the index alone.
CREATE INDEX post_hashtags_created ON feed.post_hashtags (created_at) INCLUDE (hashtag_id);

-- community_feed: the membership gate (EXISTS on community_id = $1 AND user_id = $2).
CREATE INDEX memberships_community_user ON feed.memberships (community_id, user_id);
