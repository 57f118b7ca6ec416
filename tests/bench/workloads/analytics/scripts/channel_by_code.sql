-- Trap: a six-row table fits in one page; an index cannot beat reading it.
\set k random(1, 6)
SELECT (ARRAY['web', 'ios', 'android', 'pos', 'marketplace', 'phone'])[:k] AS code \gset
SELECT id, name FROM analytics.channels WHERE code = :code;
