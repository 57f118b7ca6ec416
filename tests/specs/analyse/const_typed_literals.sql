-- Typed and numeric literals are kept as written; now() - interval is not a constant.
SELECT id FROM orders WHERE created_at > '2024-01-01'::timestamptz AND total >= 10.50 AND shipped_at > now() - interval '7 days' AND notes = 'it''s'
