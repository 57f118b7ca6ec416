-- Secondary indexes an experienced DBA would add for the job-queue workload (scripts/*.sql).
-- Each comment names the statements the index serves. The table is write-heavy: every state
-- change of a job is a non-HOT update (state is in the partial indexes' predicates), so each
-- index on jobs.jobs is paid for on every claim, completion, retry, staging and insert. Hence
-- partial indexes over the few live jobs, one index shared where it can be, and deliberately
-- none for:
-- - complete_job, fail_job, worker_heartbeat, the attempt inserts and the helpers: primary
--   keys;
-- - rescue_stuck_jobs: executing jobs are ~0.2% of the table (a handful once the run is past
--   the loaded ones); it reads them through jobs_live_state_scheduled's state key and filters
--   on attempted_at. An index of its own on attempted_at would cost every claim an entry, and
--   the planner prefers the shared one anyway (it estimates attempted_at < now() - 5 minutes
--   over the whole table, where nearly every row is old);
-- - prune_jobs (trap): the jobs completed or discarded over 7 days ago are ~45% of the table,
--   spread over all of it, so the sequential scan finds its batch of 20 in the first pages;
--   an index on completed_at would fetch each row from another page and take an entry for
--   every completed job;
-- - cron_due (trap): forty cron entries on one page;
-- - the foreign keys no statement filters on (jobs.queue, job_attempts.worker_id,
--   cron_entries.queue, workers.queue): queues and workers are never deleted.
--
-- Measured with `run.sh jobs -c 4 -j 2 -T 15` from a fresh load (see schema.sql): 51 / 42 tps
-- without secondary indexes, 7,863 / 5,429 tps with these six (32 MB built). Each was
-- checked with auto_explain during a pgbench run to be used by every statement its comment
-- names (custom and generic plans), and HypoPG indexes on jobs (state, completed_at),
-- (completed_at) and (completed_at) WHERE state IN ('completed', 'discarded') are not chosen
-- for prune_jobs.

-- claim_jobs (in claim_complete and claim_fail): equality on the queue, then the ORDER BY
-- (priority, scheduled_at), over the available jobs only; the scheduled_at <= now() bound is
-- checked in the index and the LIMIT stops the scan at the first unlocked job.
CREATE INDEX jobs_available_claim ON jobs.jobs (queue, priority, scheduled_at) WHERE state = 'available';

-- stage_jobs (the two states of its IN list, then the scheduled_at <= now() range),
-- queue_state_counts (an index-only scan: state and queue are in the index, and the predicate
-- is the statement's IN list, in the same order) and rescue_stuck_jobs (state = 'executing',
-- see above). Leading with state: led by queue, the stager would scan all the live jobs.
CREATE INDEX jobs_live_state_scheduled ON jobs.jobs (state, scheduled_at, queue) WHERE state IN ('available', 'scheduled', 'executing', 'retryable');

-- failed_jobs: equality on the queue, then the ORDER BY completed_at DESC, read backwards,
-- over the ~1% discarded jobs.
CREATE INDEX jobs_discarded_queue_completed ON jobs.jobs (queue, completed_at) WHERE state = 'discarded';

-- account_jobs (equality, then the ORDER BY inserted_at DESC, read backwards) and
-- account_recent_states (equality, then the 24-hour range).
CREATE INDEX jobs_account_inserted ON jobs.jobs (account_id, inserted_at);

-- job_by_idempotency_key: the expression must match the query's args ->> 'idempotency_key';
-- only the third of the jobs that carry a key are indexed (the equality implies IS NOT NULL).
CREATE INDEX jobs_idempotency_key ON jobs.jobs ((args ->> 'idempotency_key')) WHERE (args ->> 'idempotency_key') IS NOT NULL;

-- job_attempts, and the ON DELETE CASCADE of prune_jobs (DELETE FROM ONLY jobs.job_attempts
-- WHERE $1 = job_id, once per pruned job; without the index each is a sequential scan).
CREATE INDEX job_attempts_job ON jobs.job_attempts (job_id);
