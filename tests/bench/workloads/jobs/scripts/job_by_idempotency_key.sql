-- Before enqueueing, the application looks for a job with the same idempotency key (a jsonb
-- field). Keys of loaded jobs are derived from the id as schema.sql does, recent jobs more
-- often; keys of pruned jobs are not found, as they would not be.
\set n 3 * (:jobs / 3 - random_exponential(0, :jobs / 3 - 1, 4.0))
SELECT 'idem_' || substr(md5('job' || :n), 1, 20) AS key \gset
SELECT id, queue, state, inserted_at FROM jobs.jobs WHERE args ->> 'idempotency_key' = :key;
