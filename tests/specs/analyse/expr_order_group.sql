-- GROUP BY an expression, ORDER BY the alias of the same expression.
SELECT lower(email) AS e, count(*) FROM users GROUP BY lower(email) ORDER BY e
