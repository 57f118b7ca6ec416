//! The server settings of a throwaway cluster. They live in their own file, included from
//! `postgresql.conf` and rewritten at every start, so a reused data directory picks up a new
//! port or library list without anyone editing `postgresql.conf` by hand.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{DemoError, Result};

pub(crate) const CONF_FILE: &str = "indexpilot.conf";

/// What varies between clusters; everything else is fixed.
pub(crate) struct ServerSettings<'a> {
    pub port: u16,
    pub socket_dir: &'a Path,
    pub preload: &'a [String],
    pub password_auth: bool,
}

/// Writes `indexpilot.conf` and `pg_hba.conf`, and makes sure `postgresql.conf` includes the
/// former (appended last, so our values win over the defaults above them).
pub(crate) fn write(data_dir: &Path, settings: &ServerSettings<'_>) -> Result<()> {
    let main = data_dir.join("postgresql.conf");
    let current = std::fs::read_to_string(&main)
        .map_err(DemoError::io(format!("read {}", main.display())))?;
    let include = format!("include_if_exists = '{CONF_FILE}'");
    if !current.lines().any(|l| l.trim() == include) {
        let text = format!("{current}\n# IndexPilot demo settings\n{include}\n");
        write_file(&main, &text)?;
    }
    write_file(&data_dir.join(CONF_FILE), &conf_text(settings))?;
    write_file(
        &data_dir.join("pg_hba.conf"),
        &hba_text(settings.password_auth),
    )
}

fn conf_text(s: &ServerSettings<'_>) -> String {
    let mut text = String::from("# Written by IndexPilot at every start: edits here are lost.\n");
    let socket_dir = quote(&s.socket_dir.to_string_lossy());
    let preload = quote(&s.preload.join(","));
    let _ = write!(
        text,
        "listen_addresses = '127.0.0.1'\n\
         port = {port}\n\
         unix_socket_directories = {socket_dir}\n\
         max_connections = 100\n\
         shared_preload_libraries = {preload}\n\
         pg_stat_statements.track = all\n\
         track_io_timing = on\n\
         password_encryption = 'scram-sha-256'\n",
        port = s.port,
    );
    // The data is disposable: durability only costs time. `wal_level = minimal` also lets the
    // dataset loader skip WAL for tables created and filled in one transaction.
    text.push_str(
        "fsync = off\n\
         synchronous_commit = off\n\
         full_page_writes = off\n\
         wal_level = minimal\n\
         max_wal_senders = 0\n\
         max_wal_size = '2GB'\n",
    );
    if s.preload.iter().any(|l| l == "pg_qualstats") {
        // The default samples 1/max_connections of queries: too few for a short demo.
        text.push_str("pg_qualstats.sample_rate = 1\n");
    }
    text
}

fn hba_text(password_auth: bool) -> String {
    // The unix socket sits in the cluster's own directory, so `local` trust only admits users
    // of this machine who can already read the data directory.
    let method = if password_auth {
        "scram-sha-256"
    } else {
        "trust"
    };
    format!(
        "# Written by IndexPilot at every start: edits here are lost.\n\
         local all all trust\n\
         host  all all 127.0.0.1/32 {method}\n\
         host  all all ::1/128      {method}\n"
    )
}

/// A PostgreSQL configuration string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(DemoError::io(format!("write {}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_quote_paths_and_enable_qualstats_sampling() {
        let preload = vec!["pg_stat_statements".to_owned(), "pg_qualstats".to_owned()];
        let text = conf_text(&ServerSettings {
            port: 5999,
            socket_dir: Path::new("/tmp/it's"),
            preload: &preload,
            password_auth: false,
        });
        assert!(text.contains("port = 5999\n"));
        assert!(text.contains("unix_socket_directories = '/tmp/it''s'\n"));
        assert!(text.contains("shared_preload_libraries = 'pg_stat_statements,pg_qualstats'\n"));
        assert!(text.contains("pg_qualstats.sample_rate = 1\n"));
    }

    #[test]
    fn hba_uses_scram_only_for_tcp() {
        let text = hba_text(true);
        assert!(text.contains("local all all trust"));
        assert!(text.contains("127.0.0.1/32 scram-sha-256"));
        assert!(text.contains("::1/128      scram-sha-256"));
        assert!(!hba_text(false).contains("scram"));
    }
}
