-- "Do I like this post?" (the filled heart), an EXISTS on both columns of likes' primary key.
\set uid least(:users, 1 + int(:users * pow(random(0, 999999) / 1000000.0, 1.4) - 0.5))
\set pid :posts - random_exponential(0, :posts - 1, 20.0)
SELECT EXISTS (SELECT 1 FROM feed.likes WHERE user_id = :uid AND post_id = :pid) AS liked;
