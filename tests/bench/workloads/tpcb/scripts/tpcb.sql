-- pgbench's built-in TPC-B-like transaction, on schema tpcb.
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE tpcb.accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM tpcb.accounts WHERE aid = :aid;
UPDATE tpcb.tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE tpcb.branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO tpcb.history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
END;
