-- A qualified table not in the catalog keeps its schema.
SELECT * FROM audit.log WHERE ts > $1
