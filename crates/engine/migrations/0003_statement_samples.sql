-- IndexPilot metadata, version 3: statement samples.
-- pg_stat_statements stores normalised texts: every constant becomes $n, including the
-- ones that are part of an index expression (`properties ->> 'campaign'`). A sample is the
-- text a backend was actually running (pg_stat_activity), keyed by the same query id, so
-- the advisor can see those expressions.
CREATE TABLE indexpilot.statement_samples (
    queryid     bigint PRIMARY KEY,
    sample      text NOT NULL,
    sampled_at  timestamptz NOT NULL DEFAULT now()
);
