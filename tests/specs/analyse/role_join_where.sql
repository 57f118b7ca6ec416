-- An implicit join written in WHERE.
SELECT o.id FROM orders o, order_items i WHERE i.order_id = o.id AND i.quantity > 1
