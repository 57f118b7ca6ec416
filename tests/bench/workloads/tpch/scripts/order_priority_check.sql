-- Q4 (order priority checking), narrowed from a quarter to the month starting 1993-07-01,
-- written as in the TPC-H text: typed date literals and `+ interval '1 month'`. Each of the
-- month's ~1,950 orders is checked with EXISTS for a line received after its commit date
-- (over a quarter, at the default random_page_cost, the planner hashes all of lineitem
-- instead, ~15x slower than the nested loop).
SELECT o_orderpriority, count(*) AS order_count FROM tpch.orders WHERE o_orderdate >= date '1993-07-01' AND o_orderdate < date '1993-07-01' + interval '1 month' AND EXISTS (SELECT * FROM tpch.lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY o_orderpriority ORDER BY o_orderpriority;
