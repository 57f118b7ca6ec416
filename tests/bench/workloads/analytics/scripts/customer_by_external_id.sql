-- The external id is derived from the customer id the same way schema.sql does, so no
-- table is read to find one.
\set cid random(1, :customers)
SELECT 'cus_' || substr(md5('customer' || :cid), 1, 14) AS ext \gset
SELECT id, email, name, country, segment FROM analytics.customers WHERE external_id = :ext;
