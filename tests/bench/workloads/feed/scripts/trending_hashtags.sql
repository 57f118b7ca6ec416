-- The "Trending" box: the ten hashtags used most in the last 24 hours (the window inline,
-- on post_hashtags' copy of the post's created_at).
SELECT h.id, h.tag, count(*) AS uses FROM feed.post_hashtags ph JOIN feed.hashtags h ON h.id = ph.hashtag_id WHERE ph.created_at > now() - interval '24 hours' GROUP BY h.id, h.tag ORDER BY uses DESC LIMIT 10;
