-- Constant predicates: candidates for partial indexes.
SELECT id FROM orders WHERE status = 'open' AND tenant_id = 42 AND shipped_at IS NULL
