//! Local app state: saved connections (without secrets) and preferences, in SQLite, created
//! by embedded migrations. Secrets live in a [`SecretStore`], the OS keyring in the app.

mod connections;
mod secrets;

pub use connections::{ConnectionInput, ConnectionTarget, SavedConnection};
#[cfg(feature = "os-keyring")]
pub use secrets::KeyringSecrets;
pub use secrets::{MemorySecrets, SecretStore};

use crate::error::{Error, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Executor, Row};
use std::path::Path;

/// The desktop app's identifier, which names its app-data folder and keyring service. A
/// development build (debug assertions on) has its own, so running one never reads or writes
/// the installed app's saved connections or passwords.
pub const APP_IDENTIFIER: &str = if cfg!(debug_assertions) {
    DEVELOPMENT_IDENTIFIER
} else {
    RELEASE_IDENTIFIER
};

/// The installed app's identifier (`tauri.conf.json`).
pub const RELEASE_IDENTIFIER: &str = "dev.indexpilot.desktop";

/// A development build's identifier.
pub const DEVELOPMENT_IDENTIFIER: &str = "dev.indexpilot.desktop.development";

/// Where the desktop app keeps its store: `INDEXPILOT_DATA_DIR`, else the platform's
/// app-data folder for [`APP_IDENTIFIER`] (as Tauri resolves it).
pub fn default_store_path() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("INDEXPILOT_DATA_DIR").filter(|d| !d.is_empty()) {
        Some(d) => std::path::PathBuf::from(d),
        None => {
            let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
            let base = if cfg!(target_os = "macos") {
                home?.join("Library/Application Support")
            } else {
                match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
                    Some(d) => std::path::PathBuf::from(d),
                    None => home?.join(".local/share"),
                }
            };
            base.join(APP_IDENTIFIER)
        }
    };
    Some(dir.join(STORE_FILE))
}

/// A new log file `name` in the app-data folder's `logs/`, readable by its owner only (the
/// folder too): a build's log names the database and its errors, which are nobody else's
/// business, and a fixed name in a shared temp folder could be planted beforehand.
pub fn private_log_file(name: &str) -> Result<(std::path::PathBuf, std::fs::File)> {
    let store = default_store_path().ok_or_else(|| {
        Error::Local("no home folder to keep logs in: set HOME or INDEXPILOT_DATA_DIR".into())
    })?;
    let dir = store
        .parent()
        .map_or_else(|| std::path::PathBuf::from("logs"), |d| d.join("logs"));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder
        .create(&dir)
        .map_err(|e| Error::Local(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(name);
    let file = options
        .open(&path)
        .map_err(|e| Error::Local(format!("cannot create {}: {e}", path.display())))?;
    Ok((path, file))
}

/// The store's file name inside the app-data folder.
pub const STORE_FILE: &str = "indexpilot.sqlite3";

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations_local/0001_local.sql")),
    (
        2,
        include_str!("../../migrations_local/0002_password_saved.sql"),
    ),
];

/// The app's local database.
#[derive(Clone, Debug)]
pub struct LocalStore {
    pool: SqlitePool,
}

impl LocalStore {
    /// Opens (creating if needed) the store at `path` and brings it to the latest version.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Local(format!("cannot create {}: {e}", dir.display())))?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true);
        Self::with_options(opts).await
    }

    /// A private in-memory store, for tests.
    pub async fn in_memory() -> Result<Self> {
        Self::with_options(SqliteConnectOptions::new().in_memory(true)).await
    }

    async fn with_options(opts: SqliteConnectOptions) -> Result<Self> {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| Error::Local(format!("cannot open the local store: {e}")))?;
        let store = LocalStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(local)?;
        let version: i64 = sqlx::query("PRAGMA user_version")
            .fetch_one(&mut *tx)
            .await
            .map_err(local)?
            .get(0);
        for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
            (&mut *tx)
                .execute(sqlx::raw_sql(sql))
                .await
                .map_err(local)?;
            (&mut *tx)
                .execute(sqlx::raw_sql(&format!("PRAGMA user_version = {v}")))
                .await
                .map_err(local)?;
        }
        tx.commit().await.map_err(local)?;
        Ok(())
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn preference(&self, key: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM preferences WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(local)
    }

    pub async fn set_preference(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO preferences (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .map_err(local)?;
        Ok(())
    }
}

pub(crate) fn local(e: sqlx::Error) -> Error {
    Error::Local(format!("local store: {e}"))
}
