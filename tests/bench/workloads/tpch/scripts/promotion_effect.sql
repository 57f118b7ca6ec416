-- Q14 (promotion effect): the share of promotional parts in the revenue of the lines shipped
-- in one month of 1993-1997 (bind parameter, end `+ interval '1 month'`).
\set mo random(0, 59)
SELECT (date '1993-01-01' + make_interval(months => :mo))::date AS m_start \gset
SELECT 100.00 * sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END) / sum(l_extendedprice * (1 - l_discount)) AS promo_revenue FROM tpch.lineitem, tpch.part WHERE l_partkey = p_partkey AND l_shipdate >= :m_start AND l_shipdate < :m_start::date + interval '1 month';
