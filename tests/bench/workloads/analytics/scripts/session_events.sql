-- Replay of a session, recent ones more often.
\set eid :page_events - random_exponential(0, :page_events - 1, 3.0)
SELECT session_id AS sid FROM analytics.page_events WHERE id = :eid \gset
SELECT occurred_at, event_type, path, properties FROM analytics.page_events WHERE session_id = :sid ORDER BY occurred_at;
