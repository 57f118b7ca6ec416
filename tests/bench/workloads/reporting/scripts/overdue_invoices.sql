-- Accounts receivable: the account's overdue invoices (status = 'open' AND due_at <
-- now()), oldest first, with the customer.
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT i.id, i.number, c.name AS customer, c.email, i.total, i.currency, i.due_at, CURRENT_DATE - i.due_at::date AS days_overdue FROM reporting.invoices i JOIN reporting.customers c ON c.id = i.customer_id WHERE i.account_id = :aid AND i.status = 'open' AND i.due_at < now() ORDER BY i.due_at LIMIT 100;
