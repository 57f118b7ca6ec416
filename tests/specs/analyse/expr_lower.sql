-- A function of a column: an expression index candidate.
SELECT id FROM users WHERE lower(email) = lower($1)
