-- Q11 (important stock identification) for one nation, by name: the parts whose stock value
-- at the nation's ~40 suppliers exceeds 0.1% of the nation's total (0.0001 / SF), the total
-- being the same join in a HAVING subquery.
\set n random(1, 25)
SELECT (ARRAY['ALGERIA', 'ARGENTINA', 'BRAZIL', 'CANADA', 'EGYPT', 'ETHIOPIA', 'FRANCE', 'GERMANY', 'INDIA', 'INDONESIA', 'IRAN', 'IRAQ', 'JAPAN', 'JORDAN', 'KENYA', 'MOROCCO', 'MOZAMBIQUE', 'PERU', 'CHINA', 'ROMANIA', 'SAUDI ARABIA', 'VIETNAM', 'RUSSIA', 'UNITED KINGDOM', 'UNITED STATES'])[:n] AS nation \gset
SELECT ps_partkey, sum(ps_supplycost * ps_availqty) AS value FROM tpch.partsupp, tpch.supplier, tpch.nation WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = :nation GROUP BY ps_partkey HAVING sum(ps_supplycost * ps_availqty) > (SELECT sum(ps_supplycost * ps_availqty) * 0.001 FROM tpch.partsupp, tpch.supplier, tpch.nation WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = :nation) ORDER BY value DESC;
