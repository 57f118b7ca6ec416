-- One table joined twice under two aliases, and a self-join: each join key names the
-- alias on its other side, so keys that meet different rows are never one probe.
SELECT o.id, a.email, b.email, p.name FROM orders o JOIN users a ON a.id = o.user_id JOIN users b ON b.tenant_id = o.tenant_id JOIN categories c ON c.id = o.id JOIN categories p ON p.id = c.parent_id
