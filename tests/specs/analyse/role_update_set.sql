-- UPDATE SET targets are updated (HOT cost); RETURNING reads.
UPDATE orders SET status = $1, shipped_at = now() WHERE id = $2 RETURNING id, status
