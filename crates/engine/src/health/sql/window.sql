-- The start of the statistics window: the last reset of this database's counters, else the
-- server start (counters also start over after a crash; the server start is then a bound).
SELECT /* indexpilot */ d.stats_reset                                 AS stats_reset,
       pg_postmaster_start_time()                    AS server_started,
       now()                                         AS now
FROM pg_stat_database d
WHERE d.datname = current_database()
