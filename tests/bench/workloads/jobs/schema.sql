-- Background-job queue (Oban/GoodJob/Sidekiq-on-PostgreSQL style) and its admin dashboard:
-- queues, workers, tenant accounts, cron entries, the jobs table every worker polls, and one
-- row per finished attempt. About 1 million rows: queues (12), workers (48), accounts (5,000),
-- cron_entries (40), jobs (450,000), job_attempts (~543,000); ~200 MB.
--
-- Only primary and foreign keys: secondary indexes are what an advisor has to find. Run with
-- `psql -v ON_ERROR_STOP=1 -f schema.sql`; re-running replaces everything. The data is the
-- same on every run (fixed seed, no parallel workers drawing from their own random state),
-- except that timestamps are relative to now().
--
-- The workload (scripts/, weights.tsv) is write-heavy: about half of its transactions write.
-- Shapes it exercises:
-- - the worker's claim: UPDATE ... WHERE id IN (SELECT id ... WHERE queue = $1 AND state =
--   'available' AND scheduled_at <= now() ORDER BY priority, scheduled_at LIMIT $n FOR UPDATE
--   SKIP LOCKED) RETURNING ..., then complete or fail by primary key (a retry is
--   scheduled_at = now() + interval '30 seconds'), each with an attempt row inserted;
-- - enqueue (INSERT ... RETURNING id), a worker heartbeat (HOT update of a one-page table);
-- - batch maintenance with SKIP LOCKED: the stager (state IN ('scheduled', 'retryable') AND
--   scheduled_at <= now()), the reaper (state = 'executing' AND attempted_at < now() - interval
--   '5 minutes'), the pruner (DELETE of finished jobs older than 7 days, 20 at a time, with an
--   ON DELETE CASCADE to job_attempts);
-- - the dashboard: counts of the live jobs by queue and state (GROUP BY over a partial
--   predicate), the latest discarded jobs of a queue and the latest jobs of an account (ORDER
--   BY ... DESC LIMIT), an account's last 24 hours by state, the attempts of one job;
-- - a lookup by a jsonb field (args ->> 'idempotency_key' = $1, a third of the jobs have one);
-- - two statements for which a sequential scan is the best plan (scripts marked `-- Trap:`):
--   the pruner (its rows are ~45% of the table, spread over all of it) and the due cron
--   entries (forty rows).
-- Time windows are written inline, as applications write them (now() - interval '5 minutes'),
-- and appear in pg_stat_statements as `interval $n`.
--
-- Measured (PostgreSQL 15.18, shared_buffers = 256MB, fsync = off, pg_stat_statements and
-- hypopg loaded, 2 cores shared with an unrelated build at load average 3-5, so noisy; two
-- runs each, each from a fresh load): loading takes 5-6 s (12-19 s while another pgbench ran
-- on the machine; the bench's wal_level = minimal makes it faster). `run.sh jobs -c 4 -j 2
-- -T 15`, 0 failed transactions: no secondary index 51 / 42 tps (every claim, most of the
-- dashboard and the cascade of each pruned job are sequential scans), with expert.sql
-- 7,863 / 5,429 tps (the slowest statement is then queue_state_counts, ~4 ms).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET statement_timeout = 0;
-- The attempts are numbered in the order of a scan of jobs: from its first page.
SET synchronize_seqscans = off;

DROP SCHEMA IF EXISTS jobs CASCADE;
CREATE SCHEMA jobs;

BEGIN;
SELECT setseed(0.42);

-- Twelve queues; a job's max_attempts comes from its queue.
CREATE TABLE jobs.queues (
    name                 text NOT NULL,
    default_max_attempts smallint NOT NULL,
    paused               boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL
);
INSERT INTO jobs.queues (name, default_max_attempts, created_at)
SELECT name, max_attempts, now() - interval '2 years' + ord * interval '30 days'
FROM (VALUES (1, 'default', 20), (2, 'mailers', 5), (3, 'webhooks', 10), (4, 'events', 20),
             (5, 'search_index', 20), (6, 'media', 5), (7, 'notifications', 5), (8, 'billing', 10),
             (9, 'exports', 3), (10, 'imports', 3), (11, 'reports', 3), (12, 'maintenance', 20))
     AS q (ord, name, max_attempts);

-- 48 worker processes on six hosts, each bound to one queue. The pools are sized to the
-- traffic: default, mailers and webhooks (25 workers) take about half the jobs.
CREATE TABLE jobs.workers (
    id                integer NOT NULL,
    queue             text NOT NULL,
    hostname          text NOT NULL,
    pid               integer NOT NULL,
    started_at        timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL
);
INSERT INTO jobs.workers (id, queue, hostname, pid, started_at, last_heartbeat_at)
SELECT id, queue, 'worker-' || (1 + (id - 1) % 6), 1000 + id * 37, now() - interval '3 days' * random(),
       now() - interval '10 seconds' * random()
FROM (SELECT row_number() OVER (ORDER BY q.ord, g)::int AS id, q.name AS queue
      FROM (VALUES (1, 'default', 9), (2, 'mailers', 8), (3, 'webhooks', 8), (4, 'events', 6),
                   (5, 'search_index', 4), (6, 'media', 3), (7, 'notifications', 3), (8, 'billing', 2),
                   (9, 'exports', 2), (10, 'imports', 1), (11, 'reports', 1), (12, 'maintenance', 1))
           AS q (ord, name, n)
      CROSS JOIN LATERAL generate_series(1, q.n) AS g) AS w
ORDER BY id;

-- 5,000 tenant accounts. Low ids are the big customers: account n enqueues in proportion to
-- the density of 1 + floor(5000 * u^3) (account 1 has ~6% of all jobs).
CREATE TABLE jobs.accounts (
    id         bigint GENERATED BY DEFAULT AS IDENTITY,
    name       text NOT NULL,
    plan       text NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO jobs.accounts (id, name, plan, created_at)
SELECT n, 'Account ' || n,
       CASE WHEN n <= 50 THEN 'enterprise' WHEN n <= 800 THEN 'pro' ELSE 'free' END,
       now() - interval '4 years' * random()
FROM generate_series(1, 5000) AS n;

-- Forty cron entries; a few are due.
CREATE TABLE jobs.cron_entries (
    id          integer NOT NULL,
    name        text NOT NULL,
    queue       text NOT NULL,
    worker      text NOT NULL,
    schedule    text NOT NULL,
    args        jsonb NOT NULL DEFAULT '{}',
    enabled     boolean NOT NULL,
    last_run_at timestamptz,
    next_run_at timestamptz NOT NULL
);
INSERT INTO jobs.cron_entries (id, name, queue, worker, schedule, args, enabled, last_run_at, next_run_at)
SELECT n, 'cron_' || n, c.queue, 'App.' || initcap(c.queue) || '.Cron' || n,
       (ARRAY['*/5 * * * *', '0 * * * *', '15 3 * * *', '* * * * *'])[1 + n % 4],
       jsonb_build_object('task', 'cron_' || n), n % 10 <> 0, now() - interval '1 hour' * random(),
       CASE WHEN n % 8 = 0 THEN now() - interval '1 minute' * random()
            ELSE now() + interval '1 hour' * random() END
FROM generate_series(1, 40) AS n
CROSS JOIN LATERAL (SELECT (ARRAY['maintenance', 'reports', 'default', 'mailers'])[1 + n % 4] AS queue) c;

-- 450,000 jobs. Ids 1..440,000 are the last 14 days of history, in time order, finished:
-- ~98.3% completed (8% after a retry), 1.2% discarded (every attempt failed), 0.5%
-- cancelled. Ids 440,001..450,000 are the live jobs: 1,500 available (the last two minutes'
-- backlog), 1,000 executing (50 of them stuck for over ten minutes on a crashed node), 1,500
-- retryable (due within the next half hour, a few already due) and 6,000 scheduled up to a
-- day ahead. A third of the jobs carry an idempotency key in args, derived from the id as
-- scripts/job_by_idempotency_key.sql derives it; 10% have a priority above 0. `completed_at`
-- is when the job reached a final state (completed or discarded), as the pruner reads it.
CREATE TABLE jobs.jobs (
    id           bigint GENERATED BY DEFAULT AS IDENTITY,
    queue        text NOT NULL,
    worker       text NOT NULL,
    account_id   bigint NOT NULL,
    state        text NOT NULL,
    priority     smallint NOT NULL DEFAULT 0,
    args         jsonb NOT NULL DEFAULT '{}',
    errors       jsonb NOT NULL DEFAULT '[]',
    attempt      smallint NOT NULL DEFAULT 0,
    max_attempts smallint NOT NULL DEFAULT 20,
    attempted_by text,
    inserted_at  timestamptz NOT NULL DEFAULT now(),
    scheduled_at timestamptz NOT NULL DEFAULT now(),
    attempted_at timestamptz,
    completed_at timestamptz,
    cancelled_at timestamptz
);
-- The worker draws the queue (so queues get jobs in proportion to their pools). The rows are
-- laid out as in a queue table that is updated and pruned all the time (new rows and new row
-- versions land wherever there is room): the i-th row written has id 1 + (i - 1) * 7919 mod
-- 450,000, so neither the ids nor the timestamps follow the physical order (correlation ~0),
-- and no sort is needed.
WITH w AS MATERIALIZED (
    SELECT array_agg(w.queue ORDER BY w.id) AS queue, array_agg(q.default_max_attempts ORDER BY w.id) AS max_attempts
    FROM jobs.workers w JOIN jobs.queues q ON q.name = w.queue
), g AS MATERIALIZED (
    SELECT (1 + (i - 1) * 7919 % 450000)::int AS n, 1 + floor(48 * random())::int AS w,
           1 + floor(5000 * power(random(), 3))::bigint AS account_id,
           random() AS rs, random() AS rp, random() AS rt, random() AS rd, random() AS rk, random() AS re,
           floor(1000000 * random())::int AS resource_id
    FROM generate_series(1::bigint, 450000) AS i
), s AS MATERIALIZED (
    SELECT n, g.w, account_id, rp, rt, rd, rk, re, resource_id, w.queue[g.w] AS queue,
           w.max_attempts[g.w] AS max_attempts,
           CASE WHEN n <= 440000 THEN
                CASE WHEN rs < 0.012 THEN 'discarded' WHEN rs < 0.017 THEN 'cancelled' ELSE 'completed' END
           ELSE CASE WHEN rs < 0.15 THEN 'available' WHEN rs < 0.25 THEN 'executing'
                     WHEN rs < 0.40 THEN 'retryable' ELSE 'scheduled' END
           END AS state
    FROM g CROSS JOIN w
)
INSERT INTO jobs.jobs (id, queue, worker, account_id, state, priority, args, errors, attempt, max_attempts,
                       attempted_by, inserted_at, scheduled_at, attempted_at, completed_at, cancelled_at)
SELECT n, queue,
       'App.' || initcap(queue) || '.' || (ARRAY['Perform', 'Sync', 'Notify'])[1 + n % 3],
       account_id, state,
       CASE WHEN rp < 0.9 THEN 0 ELSE 1 + floor((rp - 0.9) * 30)::int END,
       jsonb_strip_nulls(jsonb_build_object('account_id', account_id, 'resource_id', resource_id,
           'idempotency_key', CASE WHEN n % 3 = 0 THEN 'idem_' || substr(md5('job' || n), 1, 20) END)),
       CASE WHEN state IN ('discarded', 'retryable') OR (state = 'completed' AND attempt > 1)
            THEN jsonb_build_array(jsonb_build_object(
                     'attempt', CASE WHEN state = 'completed' THEN attempt - 1 ELSE attempt END,
                     'at', attempted_at,
                     'error', (ARRAY['timeout', 'HTTP 502 from upstream', 'connection refused',
                                     'deadline exceeded'])[1 + n % 4]))
            ELSE '[]' END,
       attempt, max_attempts,
       CASE WHEN attempt > 0 THEN 'worker-' || (1 + (w - 1) % 6) || '/' || w END,
       inserted_at, scheduled_at, attempted_at,
       CASE WHEN state IN ('completed', 'discarded')
            THEN least(attempted_at + interval '20 milliseconds' + interval '30 seconds' * power(rd, 3), now()) END,
       CASE WHEN state = 'cancelled' THEN inserted_at + interval '10 minutes' * rd END
FROM s
CROSS JOIN LATERAL (SELECT
    CASE state WHEN 'completed' THEN CASE WHEN rk < 0.92 THEN 1 WHEN rk < 0.98 THEN 2 ELSE 3 END
               WHEN 'discarded' THEN max_attempts
               WHEN 'executing' THEN 1 + floor(rk * 2)::int
               WHEN 'retryable' THEN 1 + floor(rk * 4)::int
               ELSE 0 END AS attempt,
    CASE WHEN n <= 440000
             THEN now() - interval '10 minutes' - interval '14 days' * ((440000 - n + rt) / 440000)
         WHEN state = 'available' THEN now() - interval '2 minutes' * rt
         WHEN state = 'executing' THEN now() - interval '90 seconds' * rt
              - CASE WHEN rd < 0.05 THEN interval '10 minutes' + interval '2 hours' * rd * 20 ELSE interval '0' END
         WHEN state = 'retryable' THEN now() - interval '1 hour' * rt - interval '10 minutes'
         ELSE now() - interval '6 hours' * rt END AS inserted_at) AS t
CROSS JOIN LATERAL (SELECT
    CASE state WHEN 'retryable' THEN now() - interval '2 minutes' + interval '32 minutes' * re
               WHEN 'scheduled' THEN now() + interval '24 hours' * re
               ELSE inserted_at END AS scheduled_at,
    CASE WHEN attempt = 0 THEN NULL
         WHEN state = 'executing' THEN inserted_at + interval '1 second'
         WHEN state = 'retryable' THEN now() - interval '10 minutes' * rd
         ELSE least(inserted_at + (attempt - 1) * interval '1 minute' + interval '2 seconds' * rd, now())
    END AS attempted_at) AS u;

-- One row per finished attempt (~545,000): every attempt of a finished or retryable job, all
-- but the running one of an executing job. Only the last attempt of a completed job
-- succeeded. Numbered in the order of the scan of jobs, without a sort.
CREATE TABLE jobs.job_attempts (
    id          bigint GENERATED BY DEFAULT AS IDENTITY,
    job_id      bigint NOT NULL,
    attempt     smallint NOT NULL,
    worker_id   integer NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    outcome     text NOT NULL,
    error       text
);
INSERT INTO jobs.job_attempts (job_id, attempt, worker_id, started_at, finished_at, outcome, error)
SELECT j.id, a.a, split_part(j.attempted_by, '/', 2)::int, a.started,
       CASE WHEN a.a = j.attempt AND j.completed_at IS NOT NULL THEN j.completed_at
            ELSE a.started + interval '2 seconds' END,
       CASE WHEN a.a = j.attempt AND j.state = 'completed' THEN 'success' ELSE 'failure' END,
       CASE WHEN a.a = j.attempt AND j.state = 'completed' THEN NULL
            ELSE j.errors -> 0 ->> 'error' END
FROM jobs.jobs j
CROSS JOIN LATERAL (
    SELECT a, j.attempted_at - (j.attempt - a) * interval '1 minute' AS started
    FROM generate_series(1, j.attempt - CASE WHEN j.state = 'executing' THEN 1 ELSE 0 END) AS a
) a
WHERE j.attempt > 0;

-- Keys after the data: one index build and one validating join each, instead of per-row
-- work. Identity sequences continue after the loaded ids, for the workload's inserts.
ALTER TABLE jobs.queues ADD PRIMARY KEY (name);
ALTER TABLE jobs.workers ADD PRIMARY KEY (id);
ALTER TABLE jobs.accounts ADD PRIMARY KEY (id);
ALTER TABLE jobs.cron_entries ADD PRIMARY KEY (id);
ALTER TABLE jobs.jobs ADD PRIMARY KEY (id);
ALTER TABLE jobs.job_attempts ADD PRIMARY KEY (id);
ALTER TABLE jobs.workers
    ADD FOREIGN KEY (queue) REFERENCES jobs.queues (name);
ALTER TABLE jobs.cron_entries
    ADD FOREIGN KEY (queue) REFERENCES jobs.queues (name);
ALTER TABLE jobs.jobs
    ADD FOREIGN KEY (queue) REFERENCES jobs.queues (name),
    ADD FOREIGN KEY (account_id) REFERENCES jobs.accounts (id);
ALTER TABLE jobs.job_attempts
    ADD FOREIGN KEY (job_id) REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    ADD FOREIGN KEY (worker_id) REFERENCES jobs.workers (id);
SELECT setval(pg_get_serial_sequence('jobs.accounts', 'id'), (SELECT max(id) FROM jobs.accounts)),
       setval(pg_get_serial_sequence('jobs.jobs', 'id'), (SELECT max(id) FROM jobs.jobs))
;
COMMIT;

-- Hint bits, visibility map and statistics, so the first queries measured are not the ones
-- paying for them.
VACUUM (ANALYZE) jobs.queues, jobs.workers, jobs.accounts, jobs.cron_entries, jobs.jobs,
    jobs.job_attempts;
