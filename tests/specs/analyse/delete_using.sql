-- DELETE ... USING ... RETURNING.
DELETE FROM order_items i USING orders o WHERE i.order_id = o.id AND o.status = 'cancelled' RETURNING i.id
