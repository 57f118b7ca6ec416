-- Dashboard: the latest jobs of one account (big accounts are looked at most, as in
-- schema.sql).
\set u random(0, 999999)
\set aid least(:accounts, 1 + int(:accounts * pow(:u / 1000000.0, 3) - 0.5))
SELECT id, queue, worker, state, attempt, inserted_at, completed_at FROM jobs.jobs WHERE account_id = :aid ORDER BY inserted_at DESC LIMIT 50;
