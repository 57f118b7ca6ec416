-- Trap: the scheduler's due cron entries; forty rows on one page, no index can beat reading
-- it.
SELECT id, name, queue, worker, args FROM jobs.cron_entries WHERE enabled AND next_run_at <= now() ORDER BY next_run_at;
