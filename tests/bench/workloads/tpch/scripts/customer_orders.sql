-- A customer's 20 most recent orders (customers who order: keys not a multiple of 3).
\set c 1 + 3 * random(0, :customers / 3 - 1) + random(0, 1)
SELECT o_orderkey, o_orderdate, o_orderstatus, o_totalprice, o_orderpriority FROM tpch.orders WHERE o_custkey = :c ORDER BY o_orderdate DESC LIMIT 20;
