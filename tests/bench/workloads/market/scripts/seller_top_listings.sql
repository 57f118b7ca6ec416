-- The seller dashboard's best sellers of the last 30 days (hand-written): the shop's recent
-- orders, their lines, the listings' titles, cancelled orders left out.
\set sid least(:sellers, 1 + int(:sellers * pow(random(0, 999999) / 1000000.0, 3)))
SELECT l.id, l.title, sum(ol.quantity) AS units, sum(ol.quantity * ol.unit_price) AS revenue FROM market.orders o JOIN market.order_lines ol ON ol.order_id = o.id JOIN market.listings l ON l.id = ol.listing_id WHERE o.seller_id = :sid AND o.created_at >= now() - interval '30 days' AND o.status <> 'cancelled' GROUP BY l.id, l.title ORDER BY revenue DESC LIMIT 10;
