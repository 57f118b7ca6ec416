-- Trap: covers ~60% of orders, so a sequential scan is the best plan whatever the indexes.
\set days random(300, 400)
SELECT now() - make_interval(days => :days) AS since \gset
SELECT currency, count(*) AS orders, sum(total) AS revenue FROM analytics.orders WHERE status = 'completed' AND created_at >= :since GROUP BY currency;
