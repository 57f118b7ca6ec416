-- TPC-H-style analytic dataset (schema tpch) at about scale factor 0.1: region, nation,
-- supplier, customer, part, partsupp, orders and lineitem with the columns, types and
-- value distributions of the TPC-H specification (dates 1992-01-01 .. 1998-12, 25 nations
-- in 5 regions, 5 market segments, 25 brands, 150 types, 40 containers, 7 ship modes, 4 ship
-- instructions, 5 order priorities, dbgen's retail price and part-supplier formulas),
-- generated here with generate_series: dbgen is not used.
--
-- The workload (scripts/*.sql) is what an interactive application over this schema runs:
-- narrowed, parameterised variants of TPC-H queries: Q3 for one market segment and a
-- range of 300 customer keys (shipping_priority), Q4 for one month (order_priority_check,
-- EXISTS), Q10 for one nation and quarter (returned_items), Q11 for one nation
-- (important_stock, a HAVING over a scalar subquery), Q12 for one ship mode and year
-- (shipping_modes), Q14 for one month (promotion_effect, CASE ... LIKE 'PROMO%'), Q17 for
-- one brand and container (small_quantity_revenue, a LATERAL average per part), Q18 for
-- one customer (large_orders, HAVING), Q20 for one nation and colour (part_promotion,
-- LIKE prefix and a LATERAL sum per part and supplier), Q21 for one nation and month of
-- receipts (suppliers_waiting, EXISTS and NOT EXISTS), plus an order with its lines
-- (order_detail, primary keys only), a customer's 20 latest orders (customer_orders,
-- ORDER BY o_orderdate DESC LIMIT 20), the two refresh functions as transactions
-- (new_order: insert an order and 1-7 lines, RETURNING into \gset, then update its
-- total; delete_order: purge a 1992 order and its lines) and one trap (pricing_summary,
-- Q1 over ~98.6% of lineitem: a sequential scan is the best plan). Dates are written the
-- way applications write them: typed literals (o_orderdate < date '1995-03-15',
-- date '1993-07-01' + interval '1 month'; pg_stat_statements shows them as `date $N` and
-- `interval $N`) where the report is fixed, bind parameters picked by a table-free
-- `SELECT ... \gset` where it varies (l_shipdate >= $1 AND l_shipdate < $2::date +
-- interval '1 month'). Names, segments, modes and flags are char(n), as in the TPC-H DDL.
--
-- Only primary and foreign keys (TPC-H's: lineitem's primary key is (l_orderkey,
-- l_linenumber), its foreign keys go to orders and to partsupp (l_partkey, l_suppkey)):
-- secondary indexes are what an advisor has to find. Run with
-- `psql -v ON_ERROR_STOP=1 -f schema.sql`; re-running replaces everything. The data is the
-- same on every run (fixed seed, no parallel workers drawing from their own random state,
-- no dates relative to now(); new_order's orders are dated CURRENT_DATE).
--
-- Rows: region 5, nation 25, supplier 1,000, customer 15,000 (10,000 of which order),
-- part 20,000, partsupp 80,000, orders 150,000, lineitem 599,206 (865,236 in all, 147 MB
-- with the primary keys; lineitem 88 MB). Order keys follow the order date (see orders
-- below), so orders and lineitem are in date order on disk.
--
-- Loads in 8-11 s with psql (3.6-3.8 s of backend CPU) on two cores shared with several
-- similar jobs (load average 8-9; PostgreSQL 15.18, shared_buffers = 256MB, fsync = off).
-- Throughput with and without the expert set: see expert.sql.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET statement_timeout = 0;

DROP SCHEMA IF EXISTS tpch CASCADE;
CREATE SCHEMA tpch;

BEGIN;
-- Room for the line generator and the per-order aggregates, and no JIT compilation of
-- the generating statements (both reset at COMMIT).
SET LOCAL work_mem = '128MB';
SET LOCAL jit = off;
SELECT setseed(0.42);

-- The text pool the comment columns are cut from (dbgen's are built by a grammar from the
-- same kind of words). orders and lineitem start their cuts in its first 100 characters
-- (substr() counts characters from the start of the string).
CREATE TEMP TABLE load_text ON COMMIT DROP AS
SELECT 'furiously regular deposits sleep carefully. quickly final packages haggle slyly '
    || 'ironic accounts. blithely even requests nag about the bold pinto beans. express '
    || 'foxes wake fluffily across the pending theodolites. silent instructions boost '
    || 'quietly special dependencies. unusual asymptotes integrate furiously along the '
    || 'careful ideas. regular courts detect slyly after the daring platelets. final '
    || 'warhorses cajole blithely above the ironic dolphins. pending excuses use quickly '
    || 'against the even sauternes. bold frays are fluffily among the special sheaves. '
    || 'carefully express dugouts engage across the quiet tithes. ' AS pool;

CREATE TABLE tpch.region (
    r_regionkey integer NOT NULL,
    r_name      char(25) NOT NULL,
    r_comment   varchar(152)
);
INSERT INTO tpch.region
SELECT k, name, substr(t.pool, 1 + 37 * k, 40 + 13 * k)
FROM (VALUES (0, 'AFRICA'), (1, 'AMERICA'), (2, 'ASIA'), (3, 'EUROPE'), (4, 'MIDDLE EAST')) AS r (k, name)
CROSS JOIN load_text t;

CREATE TABLE tpch.nation (
    n_nationkey integer NOT NULL,
    n_name      char(25) NOT NULL,
    n_regionkey integer NOT NULL,
    n_comment   varchar(152)
);
INSERT INTO tpch.nation
SELECT k, name, region, substr(t.pool, 1 + 11 * k, 30 + 3 * k)
FROM (VALUES (0, 'ALGERIA', 0), (1, 'ARGENTINA', 1), (2, 'BRAZIL', 1), (3, 'CANADA', 1),
             (4, 'EGYPT', 4), (5, 'ETHIOPIA', 0), (6, 'FRANCE', 3), (7, 'GERMANY', 3),
             (8, 'INDIA', 2), (9, 'INDONESIA', 2), (10, 'IRAN', 4), (11, 'IRAQ', 4),
             (12, 'JAPAN', 2), (13, 'JORDAN', 4), (14, 'KENYA', 0), (15, 'MOROCCO', 0),
             (16, 'MOZAMBIQUE', 0), (17, 'PERU', 1), (18, 'CHINA', 2), (19, 'ROMANIA', 3),
             (20, 'SAUDI ARABIA', 4), (21, 'VIETNAM', 2), (22, 'RUSSIA', 3),
             (23, 'UNITED KINGDOM', 3), (24, 'UNITED STATES', 1)) AS n (k, name, region)
CROSS JOIN load_text t;

-- 1,000 suppliers, nations uniform (40 each on average).
CREATE TABLE tpch.supplier (
    s_suppkey   integer NOT NULL,
    s_name      char(25) NOT NULL,
    s_address   varchar(40) NOT NULL,
    s_nationkey integer NOT NULL,
    s_phone     char(15) NOT NULL,
    s_acctbal   numeric(15, 2) NOT NULL,
    s_comment   varchar(101) NOT NULL
);
WITH g AS MATERIALIZED (
    SELECT n, floor(random() * 25)::int AS nation, random() AS r1, random() AS r2,
           floor(random() * 900)::int AS ph1, floor(random() * 900)::int AS ph2,
           floor(random() * 9000)::int AS ph3, floor(random() * 400)::int AS c_at,
           25 + floor(random() * 75)::int AS c_len
    FROM generate_series(1, 1000) AS n
)
INSERT INTO tpch.supplier
SELECT n, 'Supplier#' || lpad(n::text, 9, '0'),
       substr(md5('supplier' || n), 1, 10 + floor(r1 * 20)::int),
       nation,
       (nation + 10) || '-' || (100 + ph1) || '-' || (100 + ph2) || '-' || (1000 + ph3),
       round((-999.99 + r2 * 10999.98)::numeric, 2),
       substr(t.pool, 1 + c_at, c_len)
FROM g CROSS JOIN load_text t
ORDER BY n;

-- 15,000 customers in five market segments and 25 nations, both uniform. As with dbgen,
-- customers whose key is a multiple of 3 place no orders.
CREATE TABLE tpch.customer (
    c_custkey    integer NOT NULL,
    c_name       varchar(25) NOT NULL,
    c_address    varchar(40) NOT NULL,
    c_nationkey  integer NOT NULL,
    c_phone      char(15) NOT NULL,
    c_acctbal    numeric(15, 2) NOT NULL,
    c_mktsegment char(10) NOT NULL,
    c_comment    varchar(117) NOT NULL
);
WITH g AS MATERIALIZED (
    SELECT n, floor(random() * 25)::int AS nation, floor(random() * 5)::int AS seg,
           random() AS r1, random() AS r2,
           floor(random() * 900)::int AS ph1, floor(random() * 900)::int AS ph2,
           floor(random() * 9000)::int AS ph3, floor(random() * 400)::int AS c_at,
           29 + floor(random() * 88)::int AS c_len
    FROM generate_series(1, 15000) AS n
)
INSERT INTO tpch.customer
SELECT n, 'Customer#' || lpad(n::text, 9, '0'),
       substr(md5('customer' || n), 1, 10 + floor(r1 * 20)::int),
       nation,
       (nation + 10) || '-' || (100 + ph1) || '-' || (100 + ph2) || '-' || (1000 + ph3),
       round((-999.99 + r2 * 10999.98)::numeric, 2),
       (ARRAY['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'])[1 + seg],
       substr(t.pool, 1 + c_at, c_len)
FROM g CROSS JOIN load_text t
ORDER BY n;

-- 20,000 parts: a name of five of the 92 colours, five manufacturers of five brands each
-- (Brand#11 .. Brand#55), 150 types ('PROMO BURNISHED COPPER'), sizes 1-50, 40 containers
-- ('SM CASE' .. 'WRAP DRUM'), and dbgen's retail price formula of the part key.
CREATE TABLE tpch.part (
    p_partkey     integer NOT NULL,
    p_name        varchar(55) NOT NULL,
    p_mfgr        char(25) NOT NULL,
    p_brand       char(10) NOT NULL,
    p_type        varchar(25) NOT NULL,
    p_size        integer NOT NULL,
    p_container   char(10) NOT NULL,
    p_retailprice numeric(15, 2) NOT NULL,
    p_comment     varchar(23) NOT NULL
);
WITH colours AS (
    SELECT ARRAY['almond', 'antique', 'aquamarine', 'azure', 'beige', 'bisque', 'black',
        'blanched', 'blue', 'blush', 'brown', 'burlywood', 'burnished', 'chartreuse', 'chiffon',
        'chocolate', 'coral', 'cornflower', 'cornsilk', 'cream', 'cyan', 'dark', 'deep', 'dim',
        'dodger', 'drab', 'firebrick', 'floral', 'forest', 'frosted', 'gainsboro', 'ghost',
        'goldenrod', 'green', 'grey', 'honeydew', 'hot', 'indian', 'ivory', 'khaki', 'lace',
        'lavender', 'lawn', 'lemon', 'light', 'lime', 'linen', 'magenta', 'maroon', 'medium',
        'metallic', 'midnight', 'mint', 'misty', 'moccasin', 'navajo', 'navy', 'olive', 'orange',
        'orchid', 'pale', 'papaya', 'peach', 'peru', 'pink', 'plum', 'powder', 'puff', 'purple',
        'red', 'rose', 'rosy', 'royal', 'saddle', 'salmon', 'sandy', 'seashell', 'sienna', 'sky',
        'slate', 'smoke', 'snow', 'spring', 'steel', 'tan', 'thistle', 'tomato', 'turquoise',
        'violet', 'wheat', 'white', 'yellow'] AS c
), g AS MATERIALIZED (
    SELECT n, 1 + floor(random() * 92)::int AS w1, 1 + floor(random() * 92)::int AS w2,
           1 + floor(random() * 92)::int AS w3, 1 + floor(random() * 92)::int AS w4,
           1 + floor(random() * 92)::int AS w5, 1 + floor(random() * 5)::int AS mfgr,
           1 + floor(random() * 5)::int AS brand, floor(random() * 6)::int AS t1,
           floor(random() * 5)::int AS t2, floor(random() * 5)::int AS t3,
           1 + floor(random() * 50)::int AS size, floor(random() * 5)::int AS k1,
           floor(random() * 8)::int AS k2, floor(random() * 400)::int AS c_at,
           5 + floor(random() * 18)::int AS c_len
    FROM generate_series(1, 20000) AS n
)
INSERT INTO tpch.part
SELECT n,
       c[w1] || ' ' || c[w2] || ' ' || c[w3] || ' ' || c[w4] || ' ' || c[w5],
       'Manufacturer#' || mfgr,
       'Brand#' || mfgr || brand,
       (ARRAY['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'])[1 + t1] || ' '
           || (ARRAY['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'])[1 + t2] || ' '
           || (ARRAY['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'])[1 + t3],
       size,
       (ARRAY['SM', 'LG', 'MED', 'JUMBO', 'WRAP'])[1 + k1] || ' '
           || (ARRAY['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'])[1 + k2],
       (90000 + (n / 10) % 20001 + 100 * (n % 1000)) / 100.0,
       substr(t.pool, 1 + c_at, c_len)
FROM g CROSS JOIN colours CROSS JOIN load_text t
ORDER BY n;

-- Four suppliers per part (80,000 rows), chosen by dbgen's formula, which new_order and the
-- lines below use too: supplier (p + i * (1000 / 4 + (p - 1) / 1000)) % 1000 + 1, i = 0..3.
CREATE TABLE tpch.partsupp (
    ps_partkey    integer NOT NULL,
    ps_suppkey    integer NOT NULL,
    ps_availqty   integer NOT NULL,
    ps_supplycost numeric(15, 2) NOT NULL,
    ps_comment    varchar(199) NOT NULL
);
INSERT INTO tpch.partsupp
SELECT p, (p + i * (250 + (p - 1) / 1000)) % 1000 + 1,
       1 + floor(random() * 9999)::int,
       round((1 + random() * 999)::numeric, 2),
       substr(t.pool, 1 + floor(random() * 400)::int, 49 + floor(random() * 150)::int)
FROM generate_series(1, 20000) AS p
CROSS JOIN generate_series(0, 3) AS i
CROSS JOIN load_text t
ORDER BY p, i;

-- 150,000 orders, order dates uniform over 1992-01-01 .. 1998-08-02 (dbgen's range), from
-- the 10,000 customers whose key is not a multiple of 3 (15 orders each on average), 1 to
-- 7 lines each. Unlike dbgen, the order keys are numbered in date order, as an
-- application's sequence numbers orders as they come in: orders and lineitem (stored in
-- key order) are then in date order on disk, as tables filled day by day are.
CREATE TEMP TABLE load_orders ON COMMIT DROP AS
WITH g AS MATERIALIZED (
    SELECT n, date '1992-01-01' + floor(random() * 2406)::int AS d,
           1 + 3 * floor(random() * 5000)::int + floor(random() * 2)::int AS custkey,
           1 + floor(random() * 7)::int AS lines, floor(random() * 5)::int AS prio,
           1 + floor(random() * 100)::int AS clerk, floor(random() * 100)::int AS c_at,
           19 + floor(random() * 60)::int AS c_len
    FROM generate_series(1, 150000) AS n
)
SELECT row_number() OVER (ORDER BY d, n)::int AS k, d, custkey, lines, prio, clerk, c_at, c_len
FROM g;

-- Orders and their lines, in one statement from one set of drawn lines. The ~600,000
-- lines: part uniform, supplier one of the part's four, quantity 1-50, discount 0-10%,
-- tax 0-8%, shipped 1-121 days after the order, committed for 30-90 days after it,
-- received 1-30 days after shipping; returned ('R', half of them, else 'A') if received by
-- 1995-06-17 (dbgen's current date), else 'N'; open ('O') if shipped after it, else 'F';
-- 4 ship instructions, 7 ship modes. An order's status is F (all its lines shipped by
-- 1995-06-17), O (none) or P, its total price the sum of its lines with tax and discount,
-- as with dbgen. o_orderkey is an identity column for new_order's inserts.
CREATE TABLE tpch.orders (
    o_orderkey      integer GENERATED BY DEFAULT AS IDENTITY,
    o_custkey       integer NOT NULL,
    o_orderstatus   char(1) NOT NULL,
    o_totalprice    numeric(15, 2) NOT NULL,
    o_orderdate     date NOT NULL,
    o_orderpriority char(15) NOT NULL,
    o_clerk         char(15) NOT NULL,
    o_shippriority  integer NOT NULL,
    o_comment       varchar(79) NOT NULL
);
CREATE TABLE tpch.lineitem (
    l_orderkey      integer NOT NULL,
    l_partkey       integer NOT NULL,
    l_suppkey       integer NOT NULL,
    l_linenumber    integer NOT NULL,
    l_quantity      numeric(15, 2) NOT NULL,
    l_extendedprice numeric(15, 2) NOT NULL,
    l_discount      numeric(15, 2) NOT NULL,
    l_tax           numeric(15, 2) NOT NULL,
    l_returnflag    char(1) NOT NULL,
    l_linestatus    char(1) NOT NULL,
    l_shipdate      date NOT NULL,
    l_commitdate    date NOT NULL,
    l_receiptdate   date NOT NULL,
    l_shipinstruct  char(25) NOT NULL,
    l_shipmode      char(10) NOT NULL,
    l_comment       varchar(44) NOT NULL
);
-- The lines are drawn in (order, line number) order and stored in that order.
WITH l AS MATERIALIZED (
    SELECT o.k, o.d, ln, 1 + floor(random() * 20000)::int AS partkey,
           floor(random() * 4)::int AS si, 1 + floor(random() * 50)::int AS qty,
           floor(random() * 11)::int AS disc, floor(random() * 9)::int AS tax,
           1 + floor(random() * 121)::int AS ship_off, 30 + floor(random() * 61)::int AS commit_off,
           1 + floor(random() * 30)::int AS rcpt_off, random() < 0.5 AS returned,
           floor(random() * 4)::int AS instr, floor(random() * 7)::int AS mode,
           floor(random() * 100)::int AS c_at, 10 + floor(random() * 34)::int AS c_len
    FROM load_orders o
    CROSS JOIN LATERAL generate_series(1, o.lines) AS ln
), lines AS (
    INSERT INTO tpch.lineitem
    SELECT k, partkey, (partkey + si * (250 + (partkey - 1) / 1000)) % 1000 + 1, ln, qty,
           qty * (90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000)) * 0.01,
           disc * 0.01, tax * 0.01,
           CASE WHEN d + ship_off + rcpt_off <= date '1995-06-17'
                THEN CASE WHEN returned THEN 'R' ELSE 'A' END ELSE 'N' END,
           CASE WHEN d + ship_off > date '1995-06-17' THEN 'O' ELSE 'F' END,
           d + ship_off, d + commit_off, d + ship_off + rcpt_off,
           (ARRAY['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN']::char(25)[])[1 + instr],
           (ARRAY['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB']::char(10)[])[1 + mode],
           substr(t.pool, 1 + c_at, c_len)
    FROM l CROSS JOIN load_text t
)
INSERT INTO tpch.orders
SELECT o.k, o.custkey,
       CASE WHEN s.shipped = s.lines THEN 'F' WHEN s.shipped = 0 THEN 'O' ELSE 'P' END,
       s.total, o.d,
       (ARRAY['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])[1 + o.prio],
       'Clerk#' || lpad(o.clerk::text, 9, '0'),
       0,
       substr(t.pool, 1 + o.c_at, o.c_len)
FROM load_orders o
JOIN (SELECT k, count(*) AS lines, count(*) FILTER (WHERE d + ship_off <= date '1995-06-17') AS shipped,
             -- In integers: cents x (100 + tax%) x (100 - discount%).
             round(sum(qty * (90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000))::int8
                       * (100 + tax) * (100 - disc)) * 0.000001, 2) AS total
      FROM l GROUP BY k) AS s ON s.k = o.k
CROSS JOIN load_text t
ORDER BY o.k;

-- Keys after the data: one index build and one validating join each, instead of per-row
-- work. The order identity continues after the loaded keys.
ALTER TABLE tpch.region ADD PRIMARY KEY (r_regionkey);
ALTER TABLE tpch.nation ADD PRIMARY KEY (n_nationkey);
ALTER TABLE tpch.supplier ADD PRIMARY KEY (s_suppkey);
ALTER TABLE tpch.customer ADD PRIMARY KEY (c_custkey);
ALTER TABLE tpch.part ADD PRIMARY KEY (p_partkey);
ALTER TABLE tpch.partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey);
ALTER TABLE tpch.orders ADD PRIMARY KEY (o_orderkey);
ALTER TABLE tpch.lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber);
ALTER TABLE tpch.nation
    ADD FOREIGN KEY (n_regionkey) REFERENCES tpch.region (r_regionkey);
ALTER TABLE tpch.supplier
    ADD FOREIGN KEY (s_nationkey) REFERENCES tpch.nation (n_nationkey);
ALTER TABLE tpch.customer
    ADD FOREIGN KEY (c_nationkey) REFERENCES tpch.nation (n_nationkey);
ALTER TABLE tpch.partsupp
    ADD FOREIGN KEY (ps_partkey) REFERENCES tpch.part (p_partkey),
    ADD FOREIGN KEY (ps_suppkey) REFERENCES tpch.supplier (s_suppkey);
ALTER TABLE tpch.orders
    ADD FOREIGN KEY (o_custkey) REFERENCES tpch.customer (c_custkey);
ALTER TABLE tpch.lineitem
    ADD FOREIGN KEY (l_orderkey) REFERENCES tpch.orders (o_orderkey),
    ADD FOREIGN KEY (l_partkey, l_suppkey) REFERENCES tpch.partsupp (ps_partkey, ps_suppkey);
SELECT setval(pg_get_serial_sequence('tpch.orders', 'o_orderkey'), (SELECT max(o_orderkey) FROM tpch.orders));
COMMIT;

-- Hint bits, visibility map and statistics, so the first queries measured are not the ones
-- paying for them.
VACUUM (ANALYZE) tpch.region, tpch.nation, tpch.supplier, tpch.customer, tpch.part,
    tpch.partsupp, tpch.orders, tpch.lineitem;
