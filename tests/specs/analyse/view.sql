-- A view is a known relation; its definition is not expanded.
SELECT * FROM active_users WHERE email = $1
