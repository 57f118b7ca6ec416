-- Dunning report: the account's customers whose payments failed more than once since
-- CURRENT_DATE - 7 (retries are two days apart), with a HAVING on the count.
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT p.customer_id, c.email, count(*) AS failures, sum(p.amount) AS amount, max(p.created_at) AS last_failure, string_agg(DISTINCT p.failure_code, ', ') AS codes FROM reporting.payments p JOIN reporting.customers c ON c.id = p.customer_id WHERE p.account_id = :aid AND p.status = 'failed' AND p.created_at >= CURRENT_DATE - 7 GROUP BY p.customer_id, c.email HAVING count(*) >= 2 ORDER BY failures DESC, last_failure DESC;
