-- Q12 (shipping modes and order priority), narrowed to one ship mode: its late lines
-- received in one year of 1993-1997 (bind parameter, end `+ interval '1 year'`), counted by
-- the priority of their order.
\set m random(1, 7)
\set y random(1993, 1997)
SELECT (ARRAY['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'])[:m] AS shipmode, make_date(:y, 1, 1) AS y_start \gset
SELECT l_shipmode, sum(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count, sum(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END) AS low_line_count FROM tpch.orders, tpch.lineitem WHERE o_orderkey = l_orderkey AND l_shipmode = :shipmode AND l_commitdate < l_receiptdate AND l_shipdate < l_commitdate AND l_receiptdate >= :y_start AND l_receiptdate < :y_start::date + interval '1 year' GROUP BY l_shipmode ORDER BY l_shipmode;
