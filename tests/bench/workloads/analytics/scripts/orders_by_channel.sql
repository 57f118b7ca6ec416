-- Trap: completed orders are 93% of the table, so the aggregate reads nearly every row and
-- a sequential scan is the best plan (the opposite of failed_orders_recent's 2%).
SELECT channel_id, count(*) AS orders, sum(total) AS revenue FROM analytics.orders WHERE status = 'completed' GROUP BY channel_id ORDER BY channel_id;
