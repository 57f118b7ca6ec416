-- JOIN ON equality is a join key on both sides; the filter is separate.
SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'open'
