-- UPDATE ... FROM: the join and filters on both tables.
UPDATE orders o SET status = 'shipped', shipped_at = now() FROM users u WHERE u.id = o.user_id AND u.tenant_id = $1 AND o.status = 'paid'
