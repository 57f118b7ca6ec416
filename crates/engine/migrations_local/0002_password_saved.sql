-- Whether the OS keyring holds a password for the connection (never the password itself):
-- listing and opening connections without one never need the keyring. NULL for a connection
-- saved before this column: the keyring is asked when it is listed.
ALTER TABLE connections ADD COLUMN password_saved INTEGER;
