-- NATURAL JOIN joins on every common column name (here id and price).
SELECT sku FROM order_items NATURAL JOIN products
