-- Funnel of one marketing campaign (a jsonb property) over the last one to four weeks.
\set k random(1, 40)
\set days random(7, 30)
SELECT 'campaign_' || :k::int AS campaign, now() - make_interval(days => :days) AS since \gset
SELECT event_type, count(*) AS events, count(DISTINCT session_id) AS sessions FROM analytics.page_events WHERE properties ->> 'campaign' = :campaign AND occurred_at >= :since GROUP BY event_type ORDER BY events DESC;
