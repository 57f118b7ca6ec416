-- Dashboard: the latest discarded jobs of one queue (~1% of the jobs).
\set k random(1, 12)
SELECT (ARRAY['default', 'mailers', 'webhooks', 'events', 'search_index', 'media', 'notifications', 'billing', 'exports', 'imports', 'reports', 'maintenance'])[:k] AS queue \gset
SELECT id, worker, attempt, errors, completed_at FROM jobs.jobs WHERE queue = :queue AND state = 'discarded' ORDER BY completed_at DESC LIMIT 20;
