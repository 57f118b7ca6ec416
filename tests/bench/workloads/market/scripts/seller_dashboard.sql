-- The seller dashboard's 30-day summary by order status, hand-written SQL with the window
-- inline (now() - interval '30 days'; pg_stat_statements shows `interval $2`). Big shops
-- look most.
\set sid least(:sellers, 1 + int(:sellers * pow(random(0, 999999) / 1000000.0, 3)))
SELECT status, count(*) AS orders, sum(total) AS revenue FROM market.orders WHERE seller_id = :sid AND created_at >= now() - interval '30 days' GROUP BY status ORDER BY status;
