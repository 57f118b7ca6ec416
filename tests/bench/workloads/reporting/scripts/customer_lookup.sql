-- The customer search box of a tenant: an email typed in upper case, compared
-- case-insensitively (stored emails keep their case), within the account.
\set cid random(1, :customers)
SELECT account_id AS aid, upper(email) AS email FROM reporting.customers WHERE id = :cid \gset
SELECT id, external_ref, name, email, country, created_at FROM reporting.customers WHERE account_id = :aid AND lower(email) = lower(:email);
