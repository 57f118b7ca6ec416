-- Append-only clickstream. Event mix, products and the 30% campaign share follow
-- schema.sql; each customer has one live session. pgbench cannot bind NULL, so anonymous
-- (customer-less) events are not produced.
\set cid random(1, :customers)
\set t random(1, 100)
\set p random_exponential(1, :products, 5.0)
\set c random(1, 100)
\set k random(1, 40)
SELECT md5('live' || :cid)::uuid AS sid, e.type, CASE e.type WHEN 'page_view' THEN '/products/' || :p::int WHEN 'search' THEN '/search' WHEN 'add_to_cart' THEN '/cart' WHEN 'checkout' THEN '/checkout' ELSE '/signup' END AS path, jsonb_strip_nulls(jsonb_build_object('campaign', CASE WHEN :c <= 30 THEN 'campaign_' || :k END, 'utm_source', 'google', 'device', 'mobile', 'product_id', CASE WHEN e.type <> 'search' THEN :p::int END)) AS props FROM (SELECT CASE WHEN :t <= 60 THEN 'page_view' WHEN :t <= 75 THEN 'search' WHEN :t <= 90 THEN 'add_to_cart' WHEN :t <= 97 THEN 'checkout' ELSE 'signup' END AS type) AS e \gset
INSERT INTO analytics.page_events (occurred_at, session_id, customer_id, event_type, path, properties) VALUES (now(), :sid, :cid, :type, :path, :props);
