-- MRR report of one account: its live subscriptions (active and past_due, an IN list
-- written inline) by plan, MRR from the plan's monthly equivalent times the seats, and each
-- plan's share of the total (sum(sum(...)) OVER ()).
\set aid least(:accounts, 1 + int(:accounts * pow(random(0, 999999) / 1000000.0, 2.5)))
SELECT p.code, p.name, count(*) AS subscriptions, sum(s.quantity) AS seats, sum(s.quantity * p.monthly_amount) AS mrr, round(100 * sum(s.quantity * p.monthly_amount) / sum(sum(s.quantity * p.monthly_amount)) OVER (), 1) AS share_pct FROM reporting.subscriptions s JOIN reporting.plans p ON p.id = s.plan_id WHERE s.account_id = :aid AND s.status IN ('active', 'past_due') GROUP BY p.code, p.name ORDER BY mrr DESC;
