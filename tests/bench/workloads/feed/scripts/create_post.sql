-- A new post with one hashtag, in one transaction; the post id comes back with RETURNING.
-- The text is what the client sent (a parameter); popular tags are used most.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set tag least(:hashtags, 1 + int(:hashtags * pow(random(0, 999999) / 1000000.0, 3) - 0.5))
\set k random(1, 5)
SELECT (ARRAY['Just finished the new album', 'Loving this recipe', 'Quick thoughts on the release', 'Throwback to our trip', 'Anyone else into chess?'])[:k] AS body \gset
BEGIN;
INSERT INTO feed.posts (author_id, body, created_at, updated_at) VALUES (:uid, :body, now(), now()) RETURNING id AS new_id \gset
INSERT INTO feed.post_hashtags (post_id, hashtag_id, created_at) VALUES (:new_id, :tag, now());
COMMIT;
