-- Revenue of last month and this month (issued_at >= date_trunc('month', now()) -
-- interval '1 month') by month, plan and line kind: paid invoices joined to their lines.
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT date_trunc('month', i.issued_at) AS month, p.code AS plan, it.kind, count(DISTINCT i.id) AS invoices, sum(it.amount) AS revenue FROM reporting.invoices i JOIN reporting.invoice_items it ON it.invoice_id = i.id JOIN reporting.plans p ON p.id = it.plan_id WHERE i.account_id = :aid AND i.status = 'paid' AND i.issued_at >= date_trunc('month', now()) - interval '1 month' GROUP BY 1, 2, 3 ORDER BY 1, 5 DESC;
