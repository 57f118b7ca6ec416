-- Q17 (small-quantity-order revenue) for one brand and container (~20 parts): the yearly
-- revenue lost on their lines under 20% of the part's average quantity. The average is a
-- LATERAL subquery per part rather than TPC-H's correlated subquery per line, which
-- PostgreSQL would run once for each of the parts' ~600 lines.
\set b1 random(1, 5)
\set b2 random(1, 5)
\set k1 random(1, 5)
\set k2 random(1, 8)
SELECT 'Brand#' || :b1::int || :b2::int AS brand, (ARRAY['SM', 'LG', 'MED', 'JUMBO', 'WRAP'])[:k1] || ' ' || (ARRAY['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'])[:k2] AS container \gset
SELECT sum(l_extendedprice) / 7.0 AS avg_yearly FROM tpch.part CROSS JOIN LATERAL (SELECT 0.2 * avg(l_quantity) AS small_quantity FROM tpch.lineitem WHERE l_partkey = p_partkey) AS a JOIN tpch.lineitem ON l_partkey = p_partkey AND l_quantity < a.small_quantity WHERE p_brand = :brand AND p_container = :container;
