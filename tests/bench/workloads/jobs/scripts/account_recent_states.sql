-- Dashboard: one account's jobs of the last 24 hours by state.
\set u random(0, 999999)
\set aid least(:accounts, 1 + int(:accounts * pow(:u / 1000000.0, 3) - 0.5))
SELECT state, count(*) AS jobs FROM jobs.jobs WHERE account_id = :aid AND inserted_at >= now() - interval '24 hours' GROUP BY state ORDER BY state;
