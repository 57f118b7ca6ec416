-- Dashboard: the live jobs per queue and state (~2% of the table; finished jobs are not
-- counted).
SELECT queue, state, count(*) AS jobs FROM jobs.jobs WHERE state IN ('available', 'scheduled', 'executing', 'retryable') GROUP BY queue, state ORDER BY queue, state;
