-- Q21 (suppliers who kept orders waiting) for one nation, by name, and one month of
-- receipts (the monthly supplier review; 1992-06 .. 1995-05, while orders finish): its
-- suppliers' late lines of finished multi-supplier orders in which no other supplier was
-- late (EXISTS and NOT EXISTS over the order's other lines).
\set n random(1, 25)
\set mo random(0, 35)
SELECT (ARRAY['ALGERIA', 'ARGENTINA', 'BRAZIL', 'CANADA', 'EGYPT', 'ETHIOPIA', 'FRANCE', 'GERMANY', 'INDIA', 'INDONESIA', 'IRAN', 'IRAQ', 'JAPAN', 'JORDAN', 'KENYA', 'MOROCCO', 'MOZAMBIQUE', 'PERU', 'CHINA', 'ROMANIA', 'SAUDI ARABIA', 'VIETNAM', 'RUSSIA', 'UNITED KINGDOM', 'UNITED STATES'])[:n] AS nation, (date '1992-06-01' + make_interval(months => :mo))::date AS m_start \gset
SELECT s_name, count(*) AS numwait FROM tpch.supplier, tpch.lineitem l1, tpch.orders, tpch.nation WHERE s_suppkey = l1.l_suppkey AND o_orderkey = l1.l_orderkey AND o_orderstatus = 'F' AND l1.l_receiptdate > l1.l_commitdate AND l1.l_receiptdate >= :m_start AND l1.l_receiptdate < :m_start::date + interval '1 month' AND EXISTS (SELECT * FROM tpch.lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey) AND NOT EXISTS (SELECT * FROM tpch.lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey AND l3.l_receiptdate > l3.l_commitdate) AND s_nationkey = n_nationkey AND n_name = :nation GROUP BY s_name ORDER BY numwait DESC, s_name LIMIT 100;
