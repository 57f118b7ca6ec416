//! A throwaway PostgreSQL cluster started from the machine's own binaries: for live tests
//! (a fresh one per test binary, deleted on drop) and for `indexpilot demo` (a persistent one
//! in [`default_demo_dir`] that survives the process with `keep_running`).

mod config;
mod dirs;
mod install;
mod lifecycle;
mod state;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::Connection as _;

use crate::error::Result;
use install::PgInstall;

pub use state::{default_demo_dir, ClusterState};

/// How to start a cluster. `Default` gives a trust-auth cluster in a fresh temporary directory
/// on a free port with `pg_stat_statements` loaded, stopped and deleted on drop.
#[derive(Clone)]
pub struct ClusterOptions {
    /// Data directory; `None` = a fresh temporary one, removed on drop. An existing,
    /// initialised directory (one with `PG_VERSION`) is reused as is.
    pub data_dir: Option<PathBuf>,
    /// TCP port on 127.0.0.1; `None` = a free one (on reuse: the previous one if still free).
    pub port: Option<u16>,
    /// `Some` = TCP connections need this superuser password (scram-sha-256); `None` = trust.
    /// The unix socket in the data directory always trusts.
    pub password: Option<String>,
    /// `shared_preload_libraries`. `pg_qualstats` is dropped when not installed; any other
    /// missing library is an error.
    pub preload: Vec<String>,
    /// Leave the server running (and its directory in place) on drop, e.g. `demo --detach`.
    pub keep_running: bool,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            data_dir: None,
            port: None,
            password: None,
            preload: vec!["pg_stat_statements".to_owned()],
            keep_running: false,
        }
    }
}

impl fmt::Debug for ClusterOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterOptions")
            .field("data_dir", &self.data_dir)
            .field("port", &self.port)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("preload", &self.preload)
            .field("keep_running", &self.keep_running)
            .finish()
    }
}

/// A running cluster. Dropping it stops the server (`pg_ctl -m fast`) and removes a temporary
/// data directory, unless it was started with `keep_running`.
pub struct Cluster {
    install: PgInstall,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    port: u16,
    password: Option<String>,
    keep_running: bool,
    stopped: AtomicBool,
    /// Owns the temporary data directory; removed when dropped.
    temp: Option<tempfile::TempDir>,
}

impl Cluster {
    /// Starts a cluster, creating it first unless `data_dir` already holds one. If that one
    /// is already running (a detached demo), attaches to it instead; the handle then stops it
    /// on drop unless `keep_running`. Blocking: it runs `initdb` and `pg_ctl` (~1 s), so use
    /// `spawn_blocking` in async code that must stay responsive.
    pub fn start(opts: ClusterOptions) -> Result<Self> {
        lifecycle::start(opts)
    }

    /// Stops the cluster in `data_dir` if it is running, e.g. one left by `keep_running`.
    /// Returns whether a server was running (false too when the directory does not exist).
    pub fn stop_data_dir(data_dir: &Path) -> Result<bool> {
        lifecycle::stop_data_dir(data_dir)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Directory holding the unix socket (the data directory, unless its path is too long
    /// for a socket name).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// `postgres://postgres[:password]@127.0.0.1:PORT/db`, percent-encoded.
    pub fn url(&self, db: &str) -> String {
        url_for(self.port, self.password.as_deref(), db)
    }

    /// A client tool of the same installation (`pgbench`, `psql`).
    pub fn tool(&self, name: &str) -> std::path::PathBuf {
        self.install.bin(name)
    }

    /// URL of the `postgres` maintenance database.
    pub fn admin_url(&self) -> String {
        self.url("postgres")
    }

    /// Stops the server now (`pg_ctl -m fast stop`); later calls and the drop do nothing.
    pub fn stop(&self) -> Result<()> {
        if self.stopped.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        lifecycle::pg_ctl_stop(&self.install, &self.data_dir)
    }

    /// Creates a database (a fresh one per test, say) and returns its URL.
    pub async fn create_database(&self, name: &str) -> Result<String> {
        let mut conn = sqlx::PgConnection::connect(&self.admin_url()).await?;
        sqlx::query(&format!("CREATE DATABASE {}", quote_ident(name)))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(self.url(name))
    }

    /// Records `name` as the demo database in the state file, for `ClusterState::read`.
    pub fn remember_database(&self, name: &str) -> Result<()> {
        let mut state = ClusterState::read(&self.data_dir)?;
        state.database = Some(name.to_owned());
        state.write(&self.data_dir)
    }
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("data_dir", &self.data_dir)
            .field("port", &self.port)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("keep_running", &self.keep_running)
            .finish_non_exhaustive()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.keep_running {
            // The server still uses the directory: it must outlive this handle.
            if let Some(temp) = self.temp.take() {
                let _ = temp.keep();
            }
            return;
        }
        if let Err(e) = self.stop() {
            tracing::warn!(data_dir = %self.data_dir.display(), "could not stop the cluster: {e}");
        }
    }
}

/// Whether the HypoPG extension (hypothetical indexes) is installed for the server found.
pub fn hypopg_installed() -> bool {
    extension_installed("hypopg")
}

/// Whether the pg_qualstats extension (predicate statistics) is installed.
pub fn pg_qualstats_installed() -> bool {
    extension_installed("pg_qualstats")
}

fn extension_installed(name: &str) -> bool {
    PgInstall::find().is_ok_and(|install| {
        install
            .sharedir()
            .join("extension")
            .join(format!("{name}.control"))
            .is_file()
    })
}

pub(crate) fn url_for(port: u16, password: Option<&str>, db: &str) -> String {
    let auth = password.map_or_else(String::new, |p| format!(":{}", percent_encode(p)));
    format!(
        "postgres://postgres{auth}@127.0.0.1:{port}/{}",
        percent_encode(db)
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters: safe in any URL part.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A SQL identifier, always quoted so any name (mixed case, spaces, keywords) works.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_password_and_database() {
        assert_eq!(
            url_for(5432, None, "crm"),
            "postgres://postgres@127.0.0.1:5432/crm"
        );
        assert_eq!(
            url_for(1, Some("a b/c:d"), "t-1"),
            "postgres://postgres:a%20b%2Fc%3Ad@127.0.0.1:1/t-1"
        );
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("Demo"), "\"Demo\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn options_debug_hides_the_password() {
        let opts = ClusterOptions {
            password: Some("hunter2".into()),
            ..ClusterOptions::default()
        };
        let text = format!("{opts:?}");
        assert!(
            !text.contains("hunter2") && text.contains("<redacted>"),
            "{text}"
        );
    }
}
