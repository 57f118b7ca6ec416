-- One order with its lines and their parts; recent orders are opened most. The primary keys
-- serve it (lineitem's leads with l_orderkey).
\set ok :orders - random_exponential(0, :orders - 1, 5.0)
SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, l_linenumber, l_partkey, p_name, l_suppkey, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipmode FROM tpch.orders JOIN tpch.lineitem ON l_orderkey = o_orderkey JOIN tpch.part ON p_partkey = l_partkey WHERE o_orderkey = :ok ORDER BY l_linenumber;
