-- Best customers of one country on one day of the last two months:
-- order_items -> orders -> customers.
\set back random(1, 60)
\set k random(1, 14)
SELECT current_date - :back::int AS d_from, current_date - :back::int + 1 AS d_to, (ARRAY['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'CA', 'AU', 'JP', 'BR', 'IN'])[:k] AS country \gset
SELECT c.id, c.name, sum(i.quantity * i.unit_price) AS revenue FROM analytics.orders o JOIN analytics.order_items i ON i.order_id = o.id JOIN analytics.customers c ON c.id = o.customer_id WHERE o.status = 'completed' AND o.created_at >= :d_from AND o.created_at < :d_to AND c.country = :country GROUP BY c.id, c.name ORDER BY revenue DESC LIMIT 10;
