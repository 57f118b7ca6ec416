-- A bare boolean column, NOT column, IS TRUE / IS FALSE are equalities with a constant; a
-- comparison with a parameter is no index expression.
SELECT u.id FROM users u WHERE u.active OR NOT u.active OR u.active IS TRUE OR u.active IS FALSE OR (u.email = $1) IS FALSE
