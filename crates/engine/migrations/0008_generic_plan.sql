-- IndexPilot metadata, version 8: indexpilot.explain (version 7) also takes
-- `EXPLAIN (FORMAT JSON, GENERIC_PLAN) …`, which PostgreSQL 16 and later plan for any value
-- of the statement's `$n` placeholders without a PREPARE. Still no ANALYZE, nothing else:
-- the function runs only what its caller could run directly (SECURITY INVOKER).
CREATE OR REPLACE FUNCTION indexpilot.explain(statement text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    IF statement !~* '^\s*EXPLAIN\s*\(\s*FORMAT\s+JSON\s*(,\s*GENERIC_PLAN\s*)?\)\s' THEN
        RAISE EXCEPTION 'indexpilot.explain runs EXPLAIN (FORMAT JSON) or EXPLAIN (FORMAT JSON, GENERIC_PLAN) only';
    END IF;
    EXECUTE statement INTO plan;
    RETURN plan;
END
$$;
