-- ROLLUP opens into its columns, in order.
SELECT tenant_id, status, sum(total) FROM orders GROUP BY ROLLUP (tenant_id, status)
