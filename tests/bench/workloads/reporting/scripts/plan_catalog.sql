-- Trap: the pricing page's active monthly USD plans; the 24 plans fit in one page, no
-- index can beat reading it.
SELECT id, code, name, amount, included_units FROM reporting.plans WHERE active AND billing_interval = 'month' AND currency = 'USD' ORDER BY amount;
