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
        match self {
            Error::InvalidConnection(_) => "invalid_connection",
            Error::Unreachable { .. } => "unreachable",
            Error::ConnectTimeout { .. } => "connect_timeout",
            Error::AuthFailed { .. } => "auth_failed",
            Error::Rejected { .. } => "connection_rejected",
            Error::DatabaseMissing { .. } => "database_missing",
            Error::Tls { .. } => "tls",
            Error::UnsupportedServer { .. } => "unsupported_server",
            Error::PermissionDenied(_) => "permission_denied",
            Error::NotInitialised { .. } => "not_initialised",
            Error::MetadataTooNew { .. } => "metadata_too_new",
            Error::MigrationChanged { .. } => "migration_changed",
            Error::NotFound { .. } => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::Postgres(_) => "postgres",
            Error::ConnectionLost(_) => "connection_lost",
            Error::Client(_) => "client",
            Error::Local(_) => "local",
            Error::Keyring(_) => "keyring",
            Error::PasswordUnavailable(_) => "password_unavailable",
            Error::ReadOnly(_) => "read_only",
            Error::ReadOnlyServer(_) | Error::NotWritable(_) => "read_only_server",
            Error::NoConnection => "no_connection",
            Error::Cancelled => "cancelled",
            Error::PlanChanged => "plan_changed",
            Error::WorkloadSourceMissing(_) => "pg_stat_statements_missing",
            Error::Busy(_) => "busy",
            Error::ChangeFailed { .. } => "change_failed",
            Error::BadFile { .. } => "bad_file",
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
