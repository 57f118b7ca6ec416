-- Refresh function 2, as a purge job runs it: one order of 1992 (the oldest seventh of the
-- keys: keys are in date order) with its lines, in one transaction. An order purged already
-- is a no-op.
\set ok random(1, :orders / 7)
BEGIN;
DELETE FROM tpch.lineitem WHERE l_orderkey = :ok;
DELETE FROM tpch.orders WHERE o_orderkey = :ok;
END;
