-- A user picked uniformly: tenants have users in proportion to their size.
\set uid random(1, :users)
SELECT tenant_id AS tid FROM crm.users WHERE id = :uid \gset
SELECT id, subject, due_at FROM crm.activities WHERE tenant_id = :tid AND owner_id = :uid AND NOT done AND due_at < now() ORDER BY due_at LIMIT 50;
