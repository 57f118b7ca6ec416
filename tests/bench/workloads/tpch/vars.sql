-- The -D variables the scripts need: loaded keys are dense from 1, so a uniform key in
-- 1..max is a real row. Read before the run; rows the run inserts are not picked.
SELECT v FROM (VALUES
    (1, 'customers=' || (SELECT max(c_custkey) FROM tpch.customer)),
    (2, 'parts=' || (SELECT max(p_partkey) FROM tpch.part)),
    (3, 'suppliers=' || (SELECT max(s_suppkey) FROM tpch.supplier)),
    (4, 'orders=' || (SELECT max(o_orderkey) FROM tpch.orders))
) AS vars (n, v)
ORDER BY n;
