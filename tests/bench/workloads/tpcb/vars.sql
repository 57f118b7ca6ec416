-- The -D variables the scripts need: pgbench's scale is the number of branches.
SELECT 'scale=' || count(*) FROM tpcb.branches;
