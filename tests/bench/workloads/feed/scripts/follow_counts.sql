-- Profile header: followers and following counts, two scalar subqueries. Profiles are
-- viewed in proportion to their popularity (1 + floor(users * r^3), as followees are drawn
-- in schema.sql): user 1 has ~7,700 followers.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 3) - 0.5))
SELECT (SELECT count(*) FROM feed.follows WHERE followee_id = :uid) AS followers, (SELECT count(*) FROM feed.follows WHERE follower_id = :uid) AS following;
