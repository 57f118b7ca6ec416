-- pgbench's built-in select-only transaction (pgbench -S), on schema tpcb.
\set aid random(1, 100000 * :scale)
SELECT abalance FROM tpcb.accounts WHERE aid = :aid;
