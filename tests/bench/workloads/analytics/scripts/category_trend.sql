-- One category's daily revenue from the rollup, over the last one to four months.
\set k random(1, 20)
\set days random(30, 120)
SELECT (ARRAY['books', 'music', 'games', 'toys', 'garden', 'kitchen', 'tools', 'sports', 'outdoor', 'beauty', 'health', 'baby', 'pets', 'office', 'phones', 'computers', 'cameras', 'audio', 'fashion', 'shoes'])[:k] AS category, current_date - :days::int AS since \gset
SELECT day, sum(orders) AS orders, sum(revenue) AS revenue FROM analytics.daily_sales WHERE category = :category AND day >= :since GROUP BY day ORDER BY day;
