-- A conflict target on an expression, DO NOTHING, RETURNING.
INSERT INTO users (email) VALUES ($1) ON CONFLICT (lower(email)) DO NOTHING RETURNING id
