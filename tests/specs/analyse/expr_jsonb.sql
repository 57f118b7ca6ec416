-- JSON operators, nested.
SELECT id FROM events WHERE payload ->> 'type' = 'signup' AND (payload -> 'meta' ->> 'source') = $1
