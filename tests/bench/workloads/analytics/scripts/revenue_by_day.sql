-- One week, ending up to 90 days ago.
\set back random(0, 90)
SELECT current_date - :back::int - 7 AS d_from, current_date - :back::int AS d_to \gset
SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total) AS revenue FROM analytics.orders WHERE status = 'completed' AND created_at >= :d_from AND created_at < :d_to GROUP BY 1 ORDER BY 1;
