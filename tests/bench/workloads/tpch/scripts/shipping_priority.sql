-- Q3 (shipping priority), narrowed: the unshipped orders of one market segment's customers
-- within a range of 300 customer keys (a sales rep's accounts), as of 1995-03-15, written
-- as a typed literal as in the TPC-H text.
\set seg random(1, 5)
\set c_from random(1, :customers - 300)
\set c_to :c_from + 299
SELECT (ARRAY['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'])[:seg] AS segment \gset
SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority FROM tpch.customer, tpch.orders, tpch.lineitem WHERE c_mktsegment = :segment AND c_custkey BETWEEN :c_from AND :c_to AND c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < date '1995-03-15' AND l_shipdate > date '1995-03-15' GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate LIMIT 10;
