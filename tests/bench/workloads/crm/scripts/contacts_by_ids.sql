-- The application asks for five contacts of one tenant; for a primary-key IN list the
-- tenant does not matter, so any five ids will do.
\set c1 random(1, :contacts)
\set c2 random(1, :contacts)
\set c3 random(1, :contacts)
\set c4 random(1, :contacts)
\set c5 random(1, :contacts)
SELECT id, email, first_name, last_name FROM crm.contacts WHERE id IN (:c1, :c2, :c3, :c4, :c5);
