-- Trap: the finance team's platform-wide summary, a whole-table aggregate of invoices by
-- currency and status that reads six columns of every row: a sequential scan is the best
-- plan (an index on (currency, status) would only add the random reads of its pages).
SELECT currency, status, count(*) AS invoices, sum(subtotal) AS subtotal, sum(tax) AS tax, sum(total) AS total, avg(paid_at - issued_at) AS mean_time_to_pay FROM reporting.invoices GROUP BY currency, status ORDER BY currency, status;
