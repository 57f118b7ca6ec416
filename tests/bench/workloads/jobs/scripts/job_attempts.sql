-- Dashboard: the attempts of one job, recent jobs opened most (old ones may have been pruned).
\set jid :jobs - random_exponential(0, :jobs - 1, 5.0)
SELECT attempt, worker_id, started_at, finished_at, outcome, error FROM jobs.job_attempts WHERE job_id = :jid ORDER BY attempt;
