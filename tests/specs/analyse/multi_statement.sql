-- Two statements in one text: kind multiple, uses merged.
UPDATE counters SET value = value + 1 WHERE key = $1; SELECT value FROM counters WHERE key = $1
