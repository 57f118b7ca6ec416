//! Connection settings, resolved the way libpq resolves them: a URL or a `key=value`
//! string when one is given, PG* environment variables for whatever it leaves out, and
//! `~/.pgpass` (or PGPASSFILE) for the password.

use super::conninfo;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Every session the engine opens carries this name, so DBAs can see (and exclude) it.
pub const APPLICATION_NAME: &str = "indexpilot";

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);

/// URL and key=value parameters we understand. Anything else is an error rather than a
/// silently ignored setting (a mistyped `sslmod=require` must not downgrade security).
const KNOWN_PARAMETERS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "options",
    "application_name",
    "connect_timeout",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl From<PgSslMode> for SslMode {
    fn from(mode: PgSslMode) -> Self {
        match mode {
            PgSslMode::Disable => SslMode::Disable,
            PgSslMode::Allow => SslMode::Allow,
            PgSslMode::Prefer => SslMode::Prefer,
            PgSslMode::Require => SslMode::Require,
            PgSslMode::VerifyCa => SslMode::VerifyCa,
            PgSslMode::VerifyFull => SslMode::VerifyFull,
        }
    }
}

/// Where a connection goes, for messages: never includes the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub user: String,
    pub host: String,
    pub port: u16,
    pub database: String,
}

impl Target {
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }
}

#[derive(Clone)]
pub struct ConnectOptions {
    pg: PgConnectOptions,
    connect_timeout: Duration,
    statement_timeout: Duration,
    lock_timeout: Duration,
    max_connections: u32,
    read_only: bool,
}

/// Hand-written so that the password inside `PgConnectOptions` can never reach a log.
impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("target", &self.target().to_string())
            .field("ssl_mode", &self.ssl_mode())
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("lock_timeout", &self.lock_timeout)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl ConnectOptions {
    /// Resolves settings from `url` (a postgres:// URL or a libpq `key=value` string) when
    /// given, otherwise from the PG* environment variables alone.
    pub fn resolve(url: Option<&str>) -> Result<Self> {
        let env_timeout = std::env::var("PGCONNECT_TIMEOUT").ok();
        let mut connect_timeout = match env_timeout.as_deref() {
            Some(v) => parse_timeout(v)?,
            None => DEFAULT_CONNECT_TIMEOUT,
        };
        let pg = match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => PgConnectOptions::new(),
            Some(text) => {
                let url = if text.contains("://") {
                    text.to_string()
                } else {
                    conninfo::to_url(text)?
                };
                let (url, timeout) = checked_url(&url)?;
                if let Some(t) = timeout {
                    connect_timeout = t;
                }
                PgConnectOptions::from_str(&url)
                    .map_err(|e| Error::InvalidConnection(describe_config_error(&e)))?
            }
        };
        Ok(ConnectOptions {
            pg,
            connect_timeout,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            max_connections: 4,
            read_only: false,
        })
    }

    /// Sessions whose every transaction is read-only (`default_transaction_read_only`): the
    /// server itself refuses a write, whatever path the engine takes.
    pub fn with_read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    pub fn with_statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = timeout;
        self
    }

    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn with_max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    pub fn with_password(mut self, password: &crate::Secret) -> Self {
        self.pg = self.pg.password(password.expose());
        self
    }

    pub fn with_database(mut self, database: &str) -> Self {
        self.pg = self.pg.database(database);
        self
    }

    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    pub fn max_connections(&self) -> u32 {
        self.max_connections
    }

    pub fn ssl_mode(&self) -> SslMode {
        self.pg.get_ssl_mode().into()
    }

    pub fn target(&self) -> Target {
        let host = match self.pg.get_socket() {
            Some(path) => path.display().to_string(),
            None => self.pg.get_host().to_string(),
        };
        let user = self.pg.get_username().to_string();
        Target {
            database: self.pg.get_database().unwrap_or(&user).to_string(),
            user,
            host,
            port: self.pg.get_port(),
        }
    }

    /// The options every engine session is opened with. `standard_conforming_strings` is
    /// forced on: the engine writes values from `pg_stats` and samples (business data) into
    /// SQL as `'…'` literals with `'` doubled, which is the whole escaping only under that
    /// setting; a server configured with it off would otherwise read a backslash as one.
    pub(crate) fn pg_options(&self) -> PgConnectOptions {
        let pg = self.pg.clone().application_name(APPLICATION_NAME).options([
            ("statement_timeout", millis(self.statement_timeout)),
            ("lock_timeout", millis(self.lock_timeout)),
            (
                "idle_in_transaction_session_timeout",
                millis(DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT),
            ),
            ("standard_conforming_strings", "on".to_string()),
        ]);
        if self.read_only {
            pg.options([("default_transaction_read_only", "on")])
        } else {
            pg
        }
    }
}

fn millis(d: Duration) -> String {
    d.as_millis().to_string()
}

fn parse_timeout(value: &str) -> Result<Duration> {
    value
        .trim()
        .parse::<u64>()
        .map(|secs| Duration::from_secs(secs.max(1)))
        .map_err(|_| {
            Error::InvalidConnection(format!(
                "connect_timeout must be whole seconds, got {value:?}"
            ))
        })
}

/// Checks the scheme and parameters of a URL, and takes out the ones this layer handles
/// itself (connect_timeout; application_name, which is always `indexpilot`).
fn checked_url(url: &str) -> Result<(String, Option<Duration>)> {
    let Some((scheme, _)) = url.split_once("://") else {
        return Err(Error::InvalidConnection("not a URL".to_string()));
    };
    if scheme != "postgres" && scheme != "postgresql" {
        return Err(Error::InvalidConnection(format!(
            "unsupported URL scheme \"{scheme}\" (expected postgres:// or postgresql://)"
        )));
    }
    if userinfo_is_split(url) {
        // Whatever the parser would say next quotes a piece of the password.
        return Err(Error::InvalidConnection(
            "the URL's user or password contains a reserved character: percent-encode / ? # @ in it (%2F %3F %23 %40)".to_string(),
        ));
    }
    let mut timeout = None;
    let url = keep_query_pairs(url, |key, value| {
        if !KNOWN_PARAMETERS.contains(&key) {
            return Err(Error::InvalidConnection(format!(
                "unknown connection parameter \"{key}\" (known: {})",
                KNOWN_PARAMETERS.join(", ")
            )));
        }
        match key {
            "connect_timeout" => timeout = Some(parse_timeout(value)?),
            "application_name" => return Ok(false),
            _ => return Ok(true),
        }
        Ok(false)
    })?;
    Ok((url, timeout))
}

/// `url` with only the query pairs `keep(key, value)` accepts (in their order, as written);
/// the first error `keep` returns is the result.
pub(crate) fn keep_query_pairs(
    url: &str,
    mut keep: impl FnMut(&str, &str) -> Result<bool>,
) -> Result<String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if keep(key, value)? {
            kept.push(pair);
        }
    }
    Ok(if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    })
}

/// Whether a connection string carries a password of its own: in the URL's user part
/// (`postgres://user:secret@host/db`), as a `password` parameter, or as the `password`
/// keyword of the key=value form (read by the same parser as a connection). Passwords
/// belong in the OS keyring or `~/.pgpass`, never in a file that is copied around and
/// committed. A string that does not parse carries none here; connecting says what is wrong.
pub(crate) fn names_a_password(text: &str) -> bool {
    let text = text.trim();
    let url = if text.contains("://") {
        text.to_string()
    } else {
        match conninfo::to_url(text) {
            Ok(url) => url,
            Err(_) => return false,
        }
    };
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let in_user = authority
        .rsplit_once('@')
        .is_some_and(|(user, _)| user.contains(':'));
    let mut in_query = false;
    let _ = keep_query_pairs(&url, |key, _| {
        in_query |= key.eq_ignore_ascii_case("password");
        Ok(true)
    });
    in_user || in_query
}

/// Whether an unencoded `/`, `?` or `#` in the user or password cut the URL's authority
/// short (`postgres://u:pa?ss@h/d`): an `@` comes after the authority with no `=` before it
/// (an `@` inside a query value, `?user=me@server`, is fine).
fn userinfo_is_split(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    !authority.contains('@') && after.split('@').count() > 1 && {
        let before_at = after.split('@').next().unwrap_or("");
        !before_at.contains('=')
    }
}

/// sqlx prefixes configuration errors with its own wording; keep only the cause. None of
/// these messages repeat the URL, so no password can slip through here.
fn describe_config_error(err: &sqlx::Error) -> String {
    let text = err.to_string();
    let cause = text
        .strip_prefix("error with configuration: ")
        .unwrap_or(&text)
        .to_string();
    format!("cannot parse the connection URL: {cause}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_found_wherever_a_connection_string_can_hold_one() {
        assert!(names_a_password("postgres://app:secret@db1/app"));
        assert!(names_a_password("postgresql://app:@db1:5433/app"));
        assert!(names_a_password("postgres://db1/app?user=app&password=x"));
        assert!(names_a_password("host=db1 user=app password=x dbname=app"));
        assert!(names_a_password("host=db1 password = x"));
        assert!(!names_a_password("postgres://app@db1:5433/app"));
        assert!(!names_a_password("postgres://db1/app?sslmode=require"));
        // A colon after the host is a port, not a password.
        assert!(!names_a_password("postgres://app@[::1]:5432/app"));
        assert!(!names_a_password("host=db1 user=app dbname=app"));
    }

    #[test]
    fn url_parts_make_the_target() {
        let opts = ConnectOptions::resolve(Some(
            "postgres://alice:pw@db.example:6543/sales?sslmode=require",
        ))
        .unwrap();
        let t = opts.target();
        assert_eq!(t.to_string(), "alice@db.example:6543/sales");
        assert_eq!(opts.ssl_mode(), SslMode::Require);
        assert!(!format!("{opts:?}").contains("pw"));
    }

    #[test]
    fn connect_timeout_is_taken_from_the_url() {
        let opts = ConnectOptions::resolve(Some("postgres://a@h/d?connect_timeout=3")).unwrap();
        assert_eq!(opts.connect_timeout(), Duration::from_secs(3));
    }

    #[test]
    fn unknown_parameters_and_schemes_are_errors() {
        let err = ConnectOptions::resolve(Some("postgres://a@h/d?sslmod=require")).unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown connection parameter \"sslmod\""),
            "{err}"
        );
        let err = ConnectOptions::resolve(Some("mysql://a@h/d")).unwrap_err();
        assert!(err.to_string().contains("unsupported URL scheme"), "{err}");
    }

    #[test]
    fn bad_port_error_does_not_echo_the_password() {
        let err = ConnectOptions::resolve(Some("postgres://a:sekrit@h:99999/d")).unwrap_err();
        assert_eq!(err.code(), "invalid_connection");
        assert!(!err.to_string().contains("sekrit"), "{err}");
    }

    #[test]
    fn a_reserved_character_in_the_password_is_named_not_echoed() {
        for url in [
            "postgres://u:pa?zq7@h/d",
            "postgres://u:pa/zq7@h/d",
            "postgres://u:pa#zq7@h/d",
        ] {
            let err = ConnectOptions::resolve(Some(url)).unwrap_err();
            assert!(err.to_string().contains("percent-encode"), "{err}");
            assert!(!err.to_string().contains("zq7"), "{err}");
        }
        ConnectOptions::resolve(Some("postgres://h/d?user=me@server")).unwrap();
    }

    #[test]
    fn keyword_value_strings_are_accepted() {
        let opts = ConnectOptions::resolve(Some(
            "host=/tmp/sock port=6000 dbname='my db' user=bob sslmode=disable",
        ))
        .unwrap();
        let t = opts.target();
        assert_eq!(
            (
                t.host.as_str(),
                t.port,
                t.database.as_str(),
                t.user.as_str()
            ),
            ("/tmp/sock", 6000, "my db", "bob")
        );
        assert_eq!(opts.ssl_mode(), SslMode::Disable);
    }
}
