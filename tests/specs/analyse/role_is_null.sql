-- IS NULL and IS NOT NULL.
SELECT id FROM users WHERE deleted_at IS NULL AND email IS NOT NULL
