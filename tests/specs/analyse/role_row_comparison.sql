-- Keyset pagination: a row comparison is a range on each column.
SELECT id, occurred_at FROM events WHERE (occurred_at, id) < ($1, $2) ORDER BY occurred_at DESC, id DESC LIMIT 50
