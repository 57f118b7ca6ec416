-- The reaper: jobs executing for over five minutes were left by a crashed worker and go back
-- to the queue (~50 at load; the ~950 others executing at load, whose workers the run does
-- not model, join them five minutes in).
UPDATE jobs.jobs SET state = 'available', attempted_by = NULL WHERE id IN (SELECT id FROM jobs.jobs WHERE state = 'executing' AND attempted_at < now() - interval '5 minutes' LIMIT 50 FOR UPDATE SKIP LOCKED);
