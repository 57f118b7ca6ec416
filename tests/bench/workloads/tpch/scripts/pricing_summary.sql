-- Trap: Q1 (pricing summary report), trimmed to three of its aggregates, over everything
-- shipped up to 90 days before 1998-12-01: ~98.6% of lineitem, so a sequential scan is the
-- best plan, with expert.sql's lineitem_shipdate or without. No helper statement before it
-- (bench-advisor fingerprints a trap script's text after its last semicolon).
SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price, count(*) AS count_order FROM tpch.lineitem WHERE l_shipdate <= date '1998-12-01' - interval '90 days' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus;
