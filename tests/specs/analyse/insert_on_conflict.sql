-- Upsert: the conflict target needs a unique index; DO UPDATE SET columns are updated.
INSERT INTO counters (key, value) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET value = counters.value + excluded.value, updated_at = now()
