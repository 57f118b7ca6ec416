-- IN (SELECT ...) is a semi-join: a join key on both sides.
SELECT id FROM products WHERE category_id IN (SELECT id FROM categories WHERE parent_id = $1)
