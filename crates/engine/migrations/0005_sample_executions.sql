-- IndexPilot metadata, version 5: whether a sample's constants are the code's.
-- A statement sent without bind parameters shows every value as a literal: one sample cannot
-- tell the code's constants (`state IN ('scheduled', 'retryable')`, a partial index's
-- predicate) from a per-call value (`id = 42`). Later executions settle it: the literals that
-- agree with the sample's across executions are the code's. The sampler counts executions
-- (by their start) whose text is the sample's, and keeps the first one whose text differs;
-- it stops writing once either says enough (a few writes per statement, ever).
ALTER TABLE indexpilot.statement_samples
    ADD COLUMN executions  integer NOT NULL DEFAULT 1,
    ADD COLUMN differing   text,
    ADD COLUMN query_start timestamptz;
