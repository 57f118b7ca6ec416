-- Revenue per day and channel over the last one to four weeks: a range on the leading
-- column of the rollup's primary key.
\set days random(7, 30)
SELECT current_date - :days::int AS since \gset
SELECT d.day, c.name AS channel, sum(d.orders) AS orders, sum(d.revenue) AS revenue FROM analytics.daily_sales d JOIN analytics.channels c ON c.id = d.channel_id WHERE d.day >= :since GROUP BY d.day, c.name ORDER BY d.day, c.name;
