-- pgbench's TPC-B-like workload, in schema tpcb, at scale 10 (10 branches, 100 tellers,
-- 1,000,000 accounts): pgbench's own tables and transaction, loaded with SQL so that the
-- benchmark needs nothing but this file. Every statement reaches its row by primary key and
-- history is only appended, so the right set of secondary indexes is none: each one would
-- only slow the updates (an index on abalance would also end their HOT updates). The
-- advisor is run with its defaults here, not the expert's allowance of nothing.
-- Shapes: primary-key UPDATE and SELECT, an append-only INSERT, a read-only variant
-- (pgbench -S). Loads in about 5 s.
DROP SCHEMA IF EXISTS tpcb CASCADE;
CREATE SCHEMA tpcb;
CREATE TABLE tpcb.branches (bid int PRIMARY KEY, bbalance int NOT NULL, filler char(88))
    WITH (fillfactor = 100);
CREATE TABLE tpcb.tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance int NOT NULL,
    filler char(84)) WITH (fillfactor = 100);
CREATE TABLE tpcb.accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL,
    filler char(84)) WITH (fillfactor = 100);
CREATE TABLE tpcb.history (tid int, bid int, aid int, delta int, mtime timestamp,
    filler char(22));
INSERT INTO tpcb.branches SELECT b, 0, NULL FROM generate_series(1, 10) b;
INSERT INTO tpcb.tellers SELECT t, (t - 1) / 10 + 1, 0, NULL FROM generate_series(1, 100) t;
INSERT INTO tpcb.accounts SELECT a, (a - 1) / 100000 + 1, 0, '' FROM generate_series(1, 1000000) a;
ANALYZE tpcb.branches;
ANALYZE tpcb.tellers;
ANALYZE tpcb.accounts;
ANALYZE tpcb.history;
