-- Top 3 products of every category over three days of the last two months.
\set back random(3, 60)
SELECT current_date - :back::int AS d_from, current_date - :back::int + 3 AS d_to \gset
SELECT category, product_id, name, units FROM (SELECT p.category, p.id AS product_id, p.name, sum(i.quantity) AS units, row_number() OVER (PARTITION BY p.category ORDER BY sum(i.quantity) DESC) AS rank FROM analytics.orders o JOIN analytics.order_items i ON i.order_id = o.id JOIN analytics.products p ON p.id = i.product_id WHERE o.status = 'completed' AND o.created_at >= :d_from AND o.created_at < :d_to GROUP BY p.category, p.id, p.name) AS ranked WHERE rank <= 3 ORDER BY category, units DESC;
