-- Typed in upper case: only a case-insensitive comparison finds the customer.
\set cid random(1, :customers)
SELECT upper(email) AS email FROM analytics.customers WHERE id = :cid \gset
SELECT id, external_id, name, is_active FROM analytics.customers WHERE lower(email) = lower(:email);
