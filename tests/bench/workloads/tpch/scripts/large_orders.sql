-- Q18 (large volume customer), narrowed to one customer: their orders of more than 150-250
-- units in all (the customer page's "large orders" tab). Customers are drawn among the
-- two thirds that order (keys not a multiple of 3, see schema.sql).
\set c 1 + 3 * random(0, :customers / 3 - 1) + random(0, 1)
\set qty random(150, 250)
SELECT c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum(l_quantity) AS total_qty FROM tpch.customer, tpch.orders, tpch.lineitem WHERE c_custkey = :c AND o_custkey = c_custkey AND l_orderkey = o_orderkey GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice HAVING sum(l_quantity) > :qty ORDER BY o_totalprice DESC, o_orderdate LIMIT 100;
