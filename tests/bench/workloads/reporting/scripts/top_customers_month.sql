-- The account's top five customers per metric this month (since date_trunc('month',
-- now())): per-customer sums ranked with row_number() OVER (PARTITION BY metric ...).
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT metric, customer_id, name, units FROM (SELECT u.metric, c.id AS customer_id, c.name, sum(u.quantity) AS units, row_number() OVER (PARTITION BY u.metric ORDER BY sum(u.quantity) DESC) AS rank FROM reporting.usage_records u JOIN reporting.customers c ON c.id = u.customer_id WHERE u.account_id = :aid AND u.created_at >= date_trunc('month', now()) GROUP BY u.metric, c.id, c.name) AS ranked WHERE rank <= 5 ORDER BY metric, units DESC;
