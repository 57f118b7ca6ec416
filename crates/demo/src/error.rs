//! One error type for the crate. Every message is a single line that says what went wrong and
//! what to do about it, because these errors end up verbatim in a CLI or a desktop dialog.

use std::path::PathBuf;

/// Errors from starting clusters, loading the dataset and running the workload.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "PostgreSQL server binaries not found: install postgresql (apt-get install postgresql) \
         or set INDEXPILOT_PG_BIN"
    )]
    BinariesNotFound,

    #[error("INDEXPILOT_PG_BIN={0} has no initdb: point it at a PostgreSQL bin directory")]
    BadPgBin(PathBuf),

    #[error(
        "running as root but there is no `postgres` system user to run the server: \
         install postgresql (it creates the user) or run as a normal user"
    )]
    NoPostgresUser,

    #[error(
        "the postgres user cannot reach {0} (a parent directory is not traversable): \
         use a directory outside /root, e.g. under /var/tmp"
    )]
    UnreachableDir(PathBuf),

    #[error("{0} exists but is not a PostgreSQL data directory: choose an empty or new directory")]
    NotADataDir(PathBuf),

    #[error(
        "a PostgreSQL server already runs on {0} but IndexPilot has no state for it: stop it \
         (pg_ctl -D {0} stop) or choose another directory"
    )]
    RunningWithoutState(PathBuf),

    #[error(
        "shared library {name} is not installed in {dir}: install its package \
         (e.g. postgresql-contrib) or remove it from ClusterOptions::preload"
    )]
    MissingLibrary { name: String, dir: PathBuf },

    #[error("{action} failed: {source}: check permissions and free disk space")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`{program}` failed ({status}): {detail}")]
    Command {
        program: String,
        status: String,
        detail: String,
    },

    #[error("PostgreSQL did not start (log: {log}): {tail}")]
    StartFailed { log: PathBuf, tail: String },

    #[error("no demo state in {0}: start the demo first (indexpilot demo)")]
    NoState(PathBuf),

    #[error("the demo state file {path} is unreadable ({reason}): delete it and start again")]
    BadState { path: PathBuf, reason: String },

    #[error(
        "schema crm already exists in this database: use a fresh database or load with \
         drop_existing = true"
    )]
    SchemaExists,

    #[error("scale must be a number between 0.001 and 20, got {0}")]
    InvalidScale(f64),

    #[error("the crm dataset is missing or empty: load it first (dataset::load)")]
    NoDataset,

    #[error("the workload simulator failed: {0}: this is a bug, please report it")]
    Workload(String),

    #[error("database error: {}", describe_sqlx(.0))]
    Database(#[from] sqlx::Error),
}

/// PostgreSQL errors keep their SQLSTATE, detail and hint: a DBA needs them to act.
pub(crate) fn describe_sqlx(err: &sqlx::Error) -> String {
    let Some(db) = err.as_database_error() else {
        return err.to_string();
    };
    let mut text = db.message().to_owned();
    if let Some(code) = db.code() {
        text = format!("{text} (SQLSTATE {code})");
    }
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        for (label, part) in [("detail", pg.detail()), ("hint", pg.hint())] {
            if let Some(part) = part {
                text = format!("{text}; {label}: {part}");
            }
        }
    }
    text
}

impl DemoError {
    /// Wraps an I/O error with the action that failed ("create /tmp/x", "write pg_hba.conf").
    pub(crate) fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let action = action.into();
        move |source| Self::Io { action, source }
    }
}

/// The crate's result type.
pub type Result<T, E = DemoError> = std::result::Result<T, E>;
