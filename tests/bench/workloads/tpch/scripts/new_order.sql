-- Refresh function 1, as the application places an order: one order of 1 to 7 lines,
-- today, in one transaction: the order (its key from the identity), its lines (each line's
-- supplier one of the part's four, by dbgen's formula, see schema.sql; the price from the
-- part), then the order's total from its lines.
\set c 1 + 3 * random(0, :customers / 3 - 1) + random(0, 1)
\set lines random(1, 7)
\set p random(1, :parts)
\set q random(1, 50)
\set prio random(1, 5)
\set ck random(1, 100)
SELECT (ARRAY['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])[:prio] AS priority, 'Clerk#' || lpad(:ck::text, 9, '0') AS clerk \gset
BEGIN;
INSERT INTO tpch.orders (o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, o_shippriority, o_comment) VALUES (:c, 'O', 0, CURRENT_DATE, :priority, :clerk, 0, 'placed online') RETURNING o_orderkey AS ok \gset
INSERT INTO tpch.lineitem (l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment) SELECT :ok, p_partkey, (p_partkey + n % 4 * (250 + (p_partkey - 1) / 1000)) % 1000 + 1, n, 1 + (:q + 7 * n) % 50, (1 + (:q + 7 * n) % 50) * p_retailprice, (:q + n) % 11 * 0.01, (:q + n) % 9 * 0.01, 'N', 'O', CURRENT_DATE + 1 + n, CURRENT_DATE + 30, CURRENT_DATE + 3 + n, 'DELIVER IN PERSON', 'TRUCK', 'placed online' FROM generate_series(1, :lines) AS n JOIN tpch.part ON p_partkey = 1 + (:p + 1999 * n) % :parts;
UPDATE tpch.orders SET o_totalprice = (SELECT sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) FROM tpch.lineitem WHERE l_orderkey = :ok) WHERE o_orderkey = :ok;
END;
