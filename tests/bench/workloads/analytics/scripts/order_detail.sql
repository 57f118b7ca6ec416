-- Recent orders are opened most. The primary key (order_id, line_no) serves this.
\set oid :orders - random_exponential(0, :orders - 1, 5.0)
SELECT i.line_no, p.sku, p.name, i.quantity, i.unit_price FROM analytics.order_items i JOIN analytics.products p ON p.id = i.product_id WHERE i.order_id = :oid ORDER BY i.line_no;
