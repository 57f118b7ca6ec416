-- Q20 (potential part promotion) for one nation and one colour (the first word of a part's
-- name, ~1% of the parts): the nation's suppliers holding more than half of what they
-- shipped of such a part in 1994 (typed literals, as in the TPC-H text). What was shipped
-- is a LATERAL subquery per (supplier, part) of the nation and colour, ~30 of them,
-- rather than TPC-H's correlated subquery, which PostgreSQL pushes down to every partsupp
-- row it reads.
\set n random(1, 25)
\set p random(1, :parts)
SELECT (ARRAY['ALGERIA', 'ARGENTINA', 'BRAZIL', 'CANADA', 'EGYPT', 'ETHIOPIA', 'FRANCE', 'GERMANY', 'INDIA', 'INDONESIA', 'IRAN', 'IRAQ', 'JAPAN', 'JORDAN', 'KENYA', 'MOROCCO', 'MOZAMBIQUE', 'PERU', 'CHINA', 'ROMANIA', 'SAUDI ARABIA', 'VIETNAM', 'RUSSIA', 'UNITED KINGDOM', 'UNITED STATES'])[:n] AS nation \gset
SELECT split_part(p_name, ' ', 1) || '%' AS colour FROM tpch.part WHERE p_partkey = :p \gset
SELECT s_name, s_address FROM tpch.supplier JOIN tpch.nation ON n_nationkey = s_nationkey JOIN tpch.partsupp ON ps_suppkey = s_suppkey JOIN tpch.part ON p_partkey = ps_partkey CROSS JOIN LATERAL (SELECT 0.5 * sum(l_quantity) AS half_shipped FROM tpch.lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey AND l_shipdate >= date '1994-01-01' AND l_shipdate < date '1994-01-01' + interval '1 year') AS shipped WHERE n_name = :nation AND p_name LIKE :colour AND ps_availqty > shipped.half_shipped GROUP BY s_name, s_address ORDER BY s_name;
