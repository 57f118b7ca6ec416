-- Trap: the growth dashboard's monthly active users per country. The window, written inline
-- (now() - interval '30 days'), keeps ~84% of the users, whose last_seen_at is not
-- correlated with their place in the table: a sequential scan is the best plan (an index on
-- last_seen_at, alone or with country, is not chosen at random_page_cost 4 or 1.1; a
-- covering partial index would be, see expert.sql). An advisor that cannot see through
-- `interval $1` and guesses a selective range would index it. No helper statement before it
-- (bench-advisor fingerprints a trap script's last statement).
SELECT country, count(*) AS active_users FROM feed.users WHERE deleted_at IS NULL AND last_seen_at > now() - interval '30 days' GROUP BY country ORDER BY active_users DESC;
