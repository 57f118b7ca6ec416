-- A PostgreSQL 18 pg_stat_statements text: squashed IN list, LIMIT parameter.
SELECT id, status FROM orders WHERE tenant_id = $1 AND id IN ($2 /*, ... */) ORDER BY id LIMIT $3
