-- Metering: the API gateways report usage as it happens, one record per batch, stamped
-- now() (append-only; the most frequent statement). Account, customer, subscription and
-- metric are those of a recent record, so heavy users report most.
\set uid :usage_records - random(0, 20000)
\set q random(1, 1000)
SELECT account_id AS aid, customer_id AS cid, subscription_id AS sid, metric FROM reporting.usage_records WHERE id = :uid \gset
INSERT INTO reporting.usage_records (account_id, customer_id, subscription_id, metric, quantity, created_at) VALUES (:aid, :cid, :sid, :metric, :q, now());
