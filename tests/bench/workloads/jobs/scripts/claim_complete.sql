-- A worker polls its queue (claim_jobs: the available jobs in priority order, locked with
-- SKIP LOCKED so that workers never wait on each other), runs the job it fetched and
-- acknowledges it in a second transaction (complete_job, record_success). As in Oban, the
-- fetch size is the worker's demand (its free slots), a bind parameter: 1 here, since each
-- job is acknowledged before the next poll. A larger demand would leave jobs executing for
-- good: pgbench keeps only the last row of a result (\aset), so only one could be
-- acknowledged. New jobs arrive at about half the poll rate (weights.tsv): about half the
-- polls find nothing.
\set w random(1, :workers)
SELECT queue, hostname || '/' || id AS node FROM jobs.workers WHERE id = :w \gset
\set demand 1
\set jid 0
UPDATE jobs.jobs SET state = 'executing', attempted_at = now(), attempted_by = :node, attempt = attempt + 1 WHERE id IN (SELECT id FROM jobs.jobs WHERE queue = :queue AND state = 'available' AND scheduled_at <= now() ORDER BY priority, scheduled_at LIMIT :demand FOR UPDATE SKIP LOCKED) RETURNING id AS jid, attempt AS att, attempted_at AS started \aset
\if :jid > 0
BEGIN;
UPDATE jobs.jobs SET state = 'completed', completed_at = now() WHERE id = :jid;
INSERT INTO jobs.job_attempts (job_id, attempt, worker_id, started_at, finished_at, outcome) VALUES (:jid, :att, :w, :started, now(), 'success');
END;
\endif
