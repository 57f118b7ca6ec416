-- As claim_complete, but the job fails (fail_job, record_failure): it is retried 30 seconds
-- later (stage_jobs makes it available again), or discarded when it has used its attempts.
\set w random(1, :workers)
\set e random(1, 4)
SELECT queue, hostname || '/' || id AS node, (ARRAY['timeout', 'HTTP 502 from upstream', 'connection refused', 'deadline exceeded'])[:e] AS err FROM jobs.workers WHERE id = :w \gset
\set demand 1
\set jid 0
UPDATE jobs.jobs SET state = 'executing', attempted_at = now(), attempted_by = :node, attempt = attempt + 1 WHERE id IN (SELECT id FROM jobs.jobs WHERE queue = :queue AND state = 'available' AND scheduled_at <= now() ORDER BY priority, scheduled_at LIMIT :demand FOR UPDATE SKIP LOCKED) RETURNING id AS jid, attempt AS att, attempted_at AS started \aset
\if :jid > 0
BEGIN;
UPDATE jobs.jobs SET state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END, scheduled_at = now() + interval '30 seconds', completed_at = CASE WHEN attempt >= max_attempts THEN now() END, errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'error', :err::text)) WHERE id = :jid;
INSERT INTO jobs.job_attempts (job_id, attempt, worker_id, started_at, finished_at, outcome, error) VALUES (:jid, :att, :w, :started, now(), 'failure', :err);
END;
\endif
