-- A new job, available now: queues get jobs in proportion to their worker pools (the worker
-- drawn is only a way to draw its queue), accounts as in schema.sql (1 + floor(5000 * u^3)),
-- a third carry an idempotency key, 10% a priority above 0. pgbench's int() rounds to the
-- nearest integer: the - 0.5 makes it the floor of schema.sql.
\set w random(1, :workers)
\set u random(0, 999999)
\set aid least(:accounts, 1 + int(:accounts * pow(:u / 1000000.0, 3) - 0.5))
\set k random(1, 3)
\set r random(1, 999999999)
\set p random(1, 100)
SELECT w.queue, q.default_max_attempts AS max, 'App.' || initcap(w.queue) || '.' || (ARRAY['Perform', 'Sync', 'Notify'])[:k] AS worker, CASE WHEN :p::int <= 90 THEN 0 ELSE :p::int % 3 + 1 END AS prio, jsonb_strip_nulls(jsonb_build_object('account_id', :aid::int, 'resource_id', :r::int % 1000000, 'idempotency_key', CASE WHEN :r::int % 3 = 0 THEN 'idem_' || substr(md5('new' || :r::int), 1, 20) END)) AS args FROM jobs.workers w JOIN jobs.queues q ON q.name = w.queue WHERE w.id = :w \gset
INSERT INTO jobs.jobs (queue, worker, account_id, state, priority, args, max_attempts, inserted_at, scheduled_at) VALUES (:queue, :worker, :aid, 'available', :prio, :args, :max, now(), now()) RETURNING id;
