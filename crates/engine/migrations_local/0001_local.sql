-- The desktop app's own state, in SQLite in the OS app-data folder. No secrets here:
-- passwords live only in the OS keyring, keyed by connection id.
CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    colour      TEXT NOT NULL,
    read_only   INTEGER NOT NULL DEFAULT 0,
    target_json TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE preferences (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
