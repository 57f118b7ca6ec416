-- Customer statement: one customer's invoices of the last year with running totals
-- (sum() OVER (ORDER BY issued_at, id), billed and paid), scoped to the account.
\set cid random(1, :customers)
SELECT account_id AS aid FROM reporting.customers WHERE id = :cid \gset
SELECT id, number, status, issued_at, total, sum(total) OVER (ORDER BY issued_at, id) AS billed_to_date, sum(total) FILTER (WHERE status = 'paid') OVER (ORDER BY issued_at, id) AS paid_to_date FROM reporting.invoices WHERE account_id = :aid AND customer_id = :cid AND issued_at >= now() - interval '1 year' ORDER BY issued_at, id;
