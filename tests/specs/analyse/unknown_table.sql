-- A table not in the catalog: kept, schema unknown, flagged; its columns still count.
SELECT g.x FROM ghosts g WHERE g.y = $1 ORDER BY z
