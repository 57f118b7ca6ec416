-- A join on two columns of one table: each key names the other side's table, so the two
-- are seen as one probe of it.
SELECT o.id, u.email FROM orders o JOIN users u ON u.tenant_id = o.tenant_id AND u.id = o.user_id WHERE o.status = $1
