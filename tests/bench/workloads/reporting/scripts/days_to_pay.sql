-- Collection speed of one account: median and 90th percentile of the time from issue to
-- payment (percentile_cont over an interval) for the invoices of the last 90 days.
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT count(*) AS invoices, percentile_cont(0.5) WITHIN GROUP (ORDER BY paid_at - issued_at) AS median_time_to_pay, percentile_cont(0.9) WITHIN GROUP (ORDER BY paid_at - issued_at) AS p90_time_to_pay, avg(paid_at - issued_at) AS mean_time_to_pay FROM reporting.invoices WHERE account_id = :aid AND status = 'paid' AND issued_at >= now() - interval '90 days';
