-- Secondary indexes an experienced DBA would add for the analytics workload (scripts/*.sql).
-- Each comment names the statements the index serves. Deliberately none for:
-- order_detail and dashboard_daily (the primary keys of order_items and daily_sales lead
-- with order_id / day), orders_by_channel and customers_by_segment (their filters keep
-- 93% and 75% of the rows: a sequential scan wins), channel_by_code (six rows), and the
-- foreign keys no statement joins or filters on (page_events.customer_id,
-- order_items.product_id): every index there would only slow the inserts down.

-- customer_by_external_id.
CREATE INDEX customers_external_id ON analytics.customers (external_id);

-- customer_by_email: the expression must match the query's lower(email).
CREATE INDEX customers_lower_email ON analytics.customers (lower(email));

-- customer_orders: equality then the ORDER BY, read backwards.
CREATE INDEX orders_customer_created ON analytics.orders (customer_id, created_at);

-- failed_orders_recent (status = 'failed', 2% of rows), revenue_by_day,
-- top_customers_country and top_products_per_category (status = 'completed' and a window
-- of one to seven days): one equality-then-range index for all four, instead of a partial
-- index for the failed orders plus one on created_at.
CREATE INDEX orders_status_created ON analytics.orders (status, created_at);

-- campaign_funnel: equality on the jsonb key, then the time range. Only the 30% of events
-- with a campaign are indexed (the equality implies IS NOT NULL), which also keeps the cost
-- of record_event's inserts down.
CREATE INDEX page_events_campaign_occurred ON analytics.page_events ((properties ->> 'campaign'), occurred_at) WHERE (properties ->> 'campaign') IS NOT NULL;

-- session_events: about five events per session, sorted after the lookup.
CREATE INDEX page_events_session ON analytics.page_events (session_id);

-- category_trend: equality on category, then the day range (the primary key leads with day).
CREATE INDEX daily_sales_category_day ON analytics.daily_sales (category, day);
