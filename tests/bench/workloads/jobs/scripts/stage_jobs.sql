-- The stager: scheduled jobs and retries that are due become available, a batch at a time.
UPDATE jobs.jobs SET state = 'available' WHERE id IN (SELECT id FROM jobs.jobs WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now() LIMIT 100 FOR UPDATE SKIP LOCKED);
