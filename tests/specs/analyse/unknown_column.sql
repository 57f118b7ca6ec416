-- A column no table has, and a qualifier that names nothing.
SELECT u.nope FROM users u WHERE x.id = 1 AND missing = 2 AND "Bad Col" = 3 AND u.id = $1
