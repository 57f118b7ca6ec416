-- ORDER BY a select-list position, an output alias (before input names), NULLS, USING.
SELECT id, name AS n FROM products ORDER BY 2 DESC NULLS LAST, n, price USING >
