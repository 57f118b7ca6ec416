-- Cohorts: the account's customers by signup month over the last six months
-- (date_trunc('month', now()) - interval '6 months'), and how many of each cohort paid an
-- invoice in each month since, with the revenue.
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT date_trunc('month', c.created_at) AS cohort, date_trunc('month', i.paid_at) AS month, count(DISTINCT c.id) AS paying_customers, sum(i.total) AS revenue FROM reporting.customers c JOIN reporting.invoices i ON i.customer_id = c.id WHERE c.account_id = :aid AND c.created_at >= date_trunc('month', now()) - interval '6 months' AND i.status = 'paid' GROUP BY 1, 2 ORDER BY 1, 2;
