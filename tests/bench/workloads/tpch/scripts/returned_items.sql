-- Q10 (returned item reporting), narrowed to one nation's customers: their top 20 by the
-- revenue of items returned from orders of one quarter of 1993-1995 (the quarter is a bind
-- parameter, its end `+ interval '3 months'`).
\set nation random(0, 24)
\set q random(0, 9)
SELECT (date '1993-01-01' + make_interval(months => 3 * :q))::date AS q_start \gset
SELECT c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) AS revenue, c_acctbal, n_name, c_address, c_phone, c_comment FROM tpch.customer, tpch.orders, tpch.lineitem, tpch.nation WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate >= :q_start AND o_orderdate < :q_start::date + interval '3 months' AND l_returnflag = 'R' AND c_nationkey = n_nationkey AND n_nationkey = :nation GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment ORDER BY revenue DESC LIMIT 20;
