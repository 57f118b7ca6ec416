-- A one-line order and its line in one transaction; it stays pending until
-- complete_order settles it (only for loaded orders: new ids are not known to pgbench).
\set cid random_exponential(1, :customers, 3.0)
\set p random_exponential(1, :products, 5.0)
\set q random(1, 3)
\set ch random(1, 6)
BEGIN;
INSERT INTO analytics.orders (customer_id, channel_id, status, currency, total, created_at) SELECT :cid, :ch, 'pending', 'USD', price * :q, now() FROM analytics.products WHERE id = :p RETURNING id AS oid \gset
INSERT INTO analytics.order_items (order_id, line_no, product_id, quantity, unit_price) SELECT :oid, 1, id, :q, price FROM analytics.products WHERE id = :p;
END;
