//! The engine's error type. Every variant renders as one line that names the problem;
//! `hint()` says what to do about it. Messages never contain a password.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A PostgreSQL error as the server reported it: SQLSTATE, message, detail and hint are kept
/// because a DBA reads them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PgError {
    pub sqlstate: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (SQLSTATE {})", self.message, self.sqlstate)
    }
}

/// What kind of error it is, as the UI and scripts branch on it (`code` in the IPC error
/// and in the CLI's JSON). The UI's `ErrorCode` type is generated from this enum (ts-rs), so
/// a code renamed here fails the UI's type check instead of silently never matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidConnection,
    Unreachable,
    ConnectTimeout,
    AuthFailed,
    ConnectionRejected,
    DatabaseMissing,
    Tls,
    UnsupportedServer,
    PermissionDenied,
    NotInitialised,
    MetadataTooNew,
    MigrationChanged,
    NotFound,
    InvalidInput,
    Postgres,
    ConnectionLost,
    Client,
    Local,
    Keyring,
    PasswordUnavailable,
    ReadOnly,
    ReadOnlyServer,
    NoConnection,
    Cancelled,
    PlanChanged,
    #[serde(rename = "pg_stat_statements_missing")]
    PgStatStatementsMissing,
    Busy,
    ChangeFailed,
    BadFile,
}

impl ErrorCode {
    /// The code as text: the same string serde writes.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConnection => "invalid_connection",
            ErrorCode::Unreachable => "unreachable",
            ErrorCode::ConnectTimeout => "connect_timeout",
            ErrorCode::AuthFailed => "auth_failed",
            ErrorCode::ConnectionRejected => "connection_rejected",
            ErrorCode::DatabaseMissing => "database_missing",
            ErrorCode::Tls => "tls",
            ErrorCode::UnsupportedServer => "unsupported_server",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::NotInitialised => "not_initialised",
            ErrorCode::MetadataTooNew => "metadata_too_new",
            ErrorCode::MigrationChanged => "migration_changed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Postgres => "postgres",
            ErrorCode::ConnectionLost => "connection_lost",
            ErrorCode::Client => "client",
            ErrorCode::Local => "local",
            ErrorCode::Keyring => "keyring",
            ErrorCode::PasswordUnavailable => "password_unavailable",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::ReadOnlyServer => "read_only_server",
            ErrorCode::NoConnection => "no_connection",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::PlanChanged => "plan_changed",
            ErrorCode::PgStatStatementsMissing => "pg_stat_statements_missing",
            ErrorCode::Busy => "busy",
            ErrorCode::ChangeFailed => "change_failed",
            ErrorCode::BadFile => "bad_file",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid connection settings: {0}")]
    InvalidConnection(String),

    #[error("could not connect to {target}: {reason}")]
    Unreachable { target: String, reason: String },

    #[error("connecting to {target} timed out after {seconds} s")]
    ConnectTimeout { target: String, seconds: u64 },

    #[error("password authentication failed for user \"{user}\" at {target}")]
    AuthFailed { user: String, target: String },

    #[error("the server at {target} rejected the connection: {reason}")]
    Rejected { target: String, reason: String },

    #[error("database \"{database}\" does not exist at {target}")]
    DatabaseMissing { database: String, target: String },

    #[error("TLS failed for {target}: {reason}")]
    Tls { target: String, reason: String },

    #[error(
        "{target} runs PostgreSQL {version}, which IndexPilot does not support (13 and later)"
    )]
    UnsupportedServer { target: String, version: String },

    #[error("permission denied: {0}")]
    PermissionDenied(PgError),

    #[error("IndexPilot is not initialised in database \"{database}\"")]
    NotInitialised { database: String },

    #[error("the indexpilot schema is at version {found}, newer than this build knows ({known})")]
    MetadataTooNew { found: i32, known: i32 },

    #[error("migration {version} was changed after it was applied (checksum mismatch)")]
    MigrationChanged { version: i32 },

    #[error("{what} not found: {name}")]
    NotFound { what: &'static str, name: String },

    #[error("invalid input: {0}")]
    InvalidInput(String),

    #[error("{0}")]
    Postgres(PgError),

    #[error("lost the connection to the database: {0}")]
    ConnectionLost(String),

    #[error("database client error: {0}")]
    Client(String),

    /// A problem on this machine rather than in the database (a missing program, a file).
    #[error("{0}")]
    Local(String),

    #[error("the OS keyring failed: {0}")]
    Keyring(String),

    /// A connection's saved password cannot be read now (a locked or absent keyring, or an
    /// entry removed behind the app's back): the app asks for it for this session.
    #[error("the saved password could not be read from the OS keyring ({0})")]
    PasswordUnavailable(String),

    #[error("connection \"{0}\" is read-only: IndexPilot will not change anything through it")]
    ReadOnly(String),

    /// The server refused a write (SQLSTATE 25006): a hot standby, or a role or database
    /// whose transactions are read-only.
    #[error("{0}: this server or role accepts no writes (a hot standby, or default_transaction_read_only)")]
    ReadOnlyServer(String),

    /// Found before writing anything: the session cannot write, and why.
    #[error("this command writes to the database, but {0}")]
    NotWritable(&'static str),

    #[error("no connection is open")]
    NoConnection,

    #[error("cancelled")]
    Cancelled,

    #[error("the schema changed since the differences were reviewed; nothing was applied")]
    PlanChanged,

    /// pg_stat_statements cannot be read: the reason says which step is missing.
    #[error("{0}")]
    WorkloadSourceMissing(String),

    /// Every build slot is taken (another index build runs on this database).
    #[error("busy: {0}")]
    Busy(String),

    /// A schema or policy file that cannot be used: where, and what is wrong.
    #[error("{file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    BadFile {
        file: String,
        line: Option<usize>,
        message: String,
    },

    /// An index build or drop failed; the change is recorded as failed (or stays applied).
    #[error("change {id} {what}: {reason}")]
    ChangeFailed {
        id: i64,
        what: &'static str,
        reason: String,
        sqlstate: Option<String>,
    },
}

impl Error {
    /// A stable, kebab-free identifier the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The code as a type: what crosses IPC, and what the UI's `ErrorCode` is generated from.
    pub fn kind(&self) -> ErrorCode {
        match self {
            Error::InvalidConnection(_) => ErrorCode::InvalidConnection,
            Error::Unreachable { .. } => ErrorCode::Unreachable,
            Error::ConnectTimeout { .. } => ErrorCode::ConnectTimeout,
            Error::AuthFailed { .. } => ErrorCode::AuthFailed,
            Error::Rejected { .. } => ErrorCode::ConnectionRejected,
            Error::DatabaseMissing { .. } => ErrorCode::DatabaseMissing,
            Error::Tls { .. } => ErrorCode::Tls,
            Error::UnsupportedServer { .. } => ErrorCode::UnsupportedServer,
            Error::PermissionDenied(_) => ErrorCode::PermissionDenied,
            Error::NotInitialised { .. } => ErrorCode::NotInitialised,
            Error::MetadataTooNew { .. } => ErrorCode::MetadataTooNew,
            Error::MigrationChanged { .. } => ErrorCode::MigrationChanged,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::Postgres(_) => ErrorCode::Postgres,
            Error::ConnectionLost(_) => ErrorCode::ConnectionLost,
            Error::Client(_) => ErrorCode::Client,
            Error::Local(_) => ErrorCode::Local,
            Error::Keyring(_) => ErrorCode::Keyring,
            Error::PasswordUnavailable(_) => ErrorCode::PasswordUnavailable,
            Error::ReadOnly(_) => ErrorCode::ReadOnly,
            Error::ReadOnlyServer(_) | Error::NotWritable(_) => ErrorCode::ReadOnlyServer,
            Error::NoConnection => ErrorCode::NoConnection,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::PlanChanged => ErrorCode::PlanChanged,
            Error::WorkloadSourceMissing(_) => ErrorCode::PgStatStatementsMissing,
            Error::Busy(_) => ErrorCode::Busy,
            Error::ChangeFailed { .. } => ErrorCode::ChangeFailed,
            Error::BadFile { .. } => ErrorCode::BadFile,
        }
    }

    /// What the user can do about it, in one sentence.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::InvalidConnection(_) => {
                "use a URL like postgres://user@host:5432/dbname, or set PGHOST, PGPORT, PGUSER and PGDATABASE".to_string()
            }
            Error::Unreachable { .. } => {
                "check that PostgreSQL is running and accepts TCP connections there (host, port, listen_addresses, firewall)".to_string()
            }
            Error::ConnectTimeout { .. } => {
                "check the host and port, or raise connect_timeout (URL parameter or PGCONNECT_TIMEOUT)".to_string()
            }
            Error::AuthFailed { .. } => {
                "check the password (in the URL, PGPASSWORD or ~/.pgpass) and the user name".to_string()
            }
            Error::Rejected { .. } => {
                "ask the DBA to allow this user, database and address in pg_hba.conf, or check sslmode".to_string()
            }
            Error::DatabaseMissing { .. } => {
                "check the database name, or create it with: createdb <name>".to_string()
            }
            Error::Tls { .. } => {
                "check sslmode and sslrootcert: use sslmode=disable or prefer if the server has no TLS".to_string()
            }
            Error::UnsupportedServer { .. } => {
                "connect to a server running PostgreSQL 13 or later".to_string()
            }
            Error::PermissionDenied(pg) => pg.hint.clone().unwrap_or_else(|| privilege_hint(&pg.message)),
            Error::NotInitialised { .. } => "run: indexpilot init".to_string(),
            Error::MetadataTooNew { .. } => "upgrade IndexPilot to a version that knows this schema".to_string(),
            Error::MigrationChanged { .. } => {
                "this build's migrations differ from the ones applied; use the release that applied them".to_string()
            }
            Error::NotFound { .. } => "check the name; run `indexpilot sync` if the schema changed".to_string(),
            Error::Postgres(pg) if pg.hint.is_none() && pg.sqlstate == "55P03" => {
                "another session holds a lock on a table this needs (an ALTER TABLE, VACUUM FULL or a long transaction; pg_locks and pg_stat_activity show which): run it again once that transaction has ended".to_string()
            }
            Error::Postgres(pg) => return pg.hint.clone(),
            Error::ConnectionLost(_) => "check the server and the network, then retry".to_string(),
            Error::Keyring(_) => {
                "unlock the OS keyring (GNOME Keyring, KWallet or another Secret Service) and retry".to_string()
            }
            Error::PasswordUnavailable(_) => {
                "enter the password to connect for this session; unlock the OS keyring to use the saved one".to_string()
            }
            Error::ReadOnly(_) => "edit the connection and clear its read-only flag to make changes".to_string(),
            Error::ReadOnlyServer(_) | Error::NotWritable(_) => "run it against the primary with a role that may write; `advise --dry-run`, `workload` and `health` only read".to_string(),
            Error::NoConnection => "open a connection first (Connections view)".to_string(),
            Error::PlanChanged => "review the new differences and apply again".to_string(),
            Error::WorkloadSourceMissing(_) => "add pg_stat_statements to shared_preload_libraries (restart PostgreSQL), \
                then run CREATE EXTENSION pg_stat_statements; discovery, the genome, tenants and health work without it"
                .to_string(),
            Error::Busy(_) => "wait for the running build to finish (`indexpilot history`), then retry".to_string(),
            Error::ChangeFailed { id, .. } => {
                format!("see `indexpilot history` for the details of change {id}; fix the cause and apply it again")
            }
            Error::BadFile { .. } => "fix the file at that place and run the command again; nothing was changed".to_string(),
            Error::InvalidInput(_) | Error::Client(_) | Error::Local(_) | Error::Cancelled => return None,
        };
        Some(hint)
    }

    /// The server's detail line, when PostgreSQL sent one.
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::PermissionDenied(pg) | Error::Postgres(pg) => pg.detail.clone(),
            _ => None,
        }
    }

    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            Error::PermissionDenied(pg) | Error::Postgres(pg) => Some(&pg.sqlstate),
            Error::ChangeFailed { sqlstate, .. } => sqlstate.as_deref(),
            Error::ReadOnlyServer(_) | Error::NotWritable(_) => Some("25006"),
            _ => None,
        }
    }
}

fn privilege_hint(message: &str) -> String {
    if message.contains("for database") {
        "run `indexpilot init` as the database owner, or have the owner GRANT CREATE ON DATABASE to this role".to_string()
    } else if message.contains("schema indexpilot") || message.contains("indexpilot.") {
        "have the owner of schema indexpilot GRANT USAGE ON SCHEMA indexpilot and the needed table privileges to this role"
            .to_string()
    } else {
        "connect as a role that holds this privilege, or ask the owner to GRANT it".to_string()
    }
}

/// Errors from queries on an established connection. Connection-time errors are classified
/// with more context in `connect::classify`.
impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::Database(db) => {
                let pg = pg_error(db.as_ref());
                if pg.sqlstate == "42501" {
                    Error::PermissionDenied(pg)
                } else if pg.sqlstate == "25006" {
                    Error::ReadOnlyServer(pg.message)
                } else {
                    Error::Postgres(pg)
                }
            }
            sqlx::Error::Io(io) => Error::ConnectionLost(io.to_string()),
            sqlx::Error::PoolTimedOut => {
                Error::ConnectionLost("no connection became available in time".to_string())
            }
            sqlx::Error::PoolClosed => {
                Error::ConnectionLost("the connection pool is closed".to_string())
            }
            other => Error::Client(other.to_string()),
        }
    }
}

pub(crate) fn pg_error(db: &dyn sqlx::error::DatabaseError) -> PgError {
    match db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        Some(pg) => PgError {
            sqlstate: pg.code().to_string(),
            message: pg.message().to_string(),
            detail: pg.detail().map(str::to_string),
            hint: pg.hint().map(str::to_string),
        },
        None => PgError {
            sqlstate: db.code().map(|c| c.to_string()).unwrap_or_default(),
            message: db.message().to_string(),
            detail: None,
            hint: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode::{self, *};

    /// `as_str` (what the CLI prints) and serde (what crosses IPC, and what the UI's type is
    /// generated from) name every code the same way.
    #[test]
    fn every_code_reads_the_same_in_text_and_json() {
        let all: [ErrorCode; 29] = [
            InvalidConnection,
            Unreachable,
            ConnectTimeout,
            AuthFailed,
            ConnectionRejected,
            DatabaseMissing,
            Tls,
            UnsupportedServer,
            PermissionDenied,
            NotInitialised,
            MetadataTooNew,
            MigrationChanged,
            NotFound,
            InvalidInput,
            Postgres,
            ConnectionLost,
            Client,
            Local,
            Keyring,
            PasswordUnavailable,
            ReadOnly,
            ReadOnlyServer,
            NoConnection,
            Cancelled,
            PlanChanged,
            PgStatStatementsMissing,
            Busy,
            ChangeFailed,
            BadFile,
        ];
        for code in all {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                code.as_str(),
                "{code:?}"
            );
        }
    }

    /// A lock timeout says whose lock it waited for and what to do; the server's own hint,
    /// when it sends one, is kept.
    #[test]
    fn a_lock_timeout_says_what_to_do() {
        let pg = |hint: Option<&str>| {
            super::Error::Postgres(super::PgError {
                sqlstate: "55P03".into(),
                message: "canceling statement due to lock timeout".into(),
                detail: None,
                hint: hint.map(str::to_string),
            })
        };
        let hint = pg(None).hint().unwrap_or_default();
        assert!(hint.contains("another session holds a lock"), "{hint}");
        assert_eq!(pg(Some("theirs")).hint().as_deref(), Some("theirs"));
    }
}
