-- Payment processor webhook for one of the ~20,000 latest invoices, if it is still open:
-- 85% of the attempts succeed (the payment is inserted and the invoice marked paid, in one
-- transaction), 15% fail (the failed attempt is inserted with its failure code). Invoices
-- already settled are skipped. A successful attempt has no failure code: the literal NULL
-- an application sends as a parameter (pgbench cannot bind NULL).
\set iid :invoices - random(0, 20000)
\set r random(1, 100)
\set k random(1, 4)
SELECT (status = 'open')::int AS is_open, account_id AS aid, customer_id AS cid, total AS amount, currency, (:r > 85)::int AS failed, (ARRAY['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'])[:k] AS code FROM reporting.invoices WHERE id = :iid \gset
\if :is_open
BEGIN;
\if :failed
INSERT INTO reporting.payments (account_id, customer_id, invoice_id, amount, currency, status, method, failure_code, created_at) VALUES (:aid, :cid, :iid, :amount, :currency, 'failed', 'card', :code, now());
\else
INSERT INTO reporting.payments (account_id, customer_id, invoice_id, amount, currency, status, method, failure_code, created_at) VALUES (:aid, :cid, :iid, :amount, :currency, 'succeeded', 'card', NULL, now());
UPDATE reporting.invoices SET status = 'paid', paid_at = now() WHERE id = :iid AND status = 'open';
\endif
END;
\endif
