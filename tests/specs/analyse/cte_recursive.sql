-- WITH RECURSIVE: the self-reference is a work table; the join into categories is a key;
-- the outer ORDER BY sorts the CTE's result, which no index of categories serves.
WITH RECURSIVE tree AS (
  SELECT id, parent_id, name FROM categories WHERE id = $1
  UNION ALL
  SELECT c.id, c.parent_id, c.name FROM categories c JOIN tree t ON c.parent_id = t.id
)
SELECT name FROM tree ORDER BY name
