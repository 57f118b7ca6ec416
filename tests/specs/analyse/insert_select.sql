-- INSERT ... SELECT: the SELECT is analysed; the target is written.
INSERT INTO events (user_id, kind, occurred_at) SELECT id, 'reminder', now() FROM users WHERE active AND created_at < $1
