-- Trap: the pruner deletes finished jobs past the 7-day retention, 20 at a time (their
-- attempts go by ON DELETE CASCADE). They are ~45% of the table and spread over all of it
-- (completed_at does not follow the physical order), so a sequential scan finds a batch in
-- its first pages; an index scan would fetch each row from a different page, and every
-- completion would have to maintain the index.
DELETE FROM jobs.jobs WHERE id IN (SELECT id FROM jobs.jobs WHERE state IN ('completed', 'discarded') AND completed_at < now() - interval '7 days' LIMIT 20 FOR UPDATE SKIP LOCKED);
