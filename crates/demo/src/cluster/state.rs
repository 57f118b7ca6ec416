//! What a later process needs to find a detached demo cluster again (`indexpilot demo stop`,
//! or a second `indexpilot demo` that reuses it): a small JSON file in the data directory.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{DemoError, Result};

/// The contents of `indexpilot-demo.json`. Never holds the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterState {
    /// TCP port on 127.0.0.1.
    pub port: u16,
    /// The demo database, once one was recorded with `Cluster::remember_database`.
    pub database: Option<String>,
    /// Directory of the unix socket.
    pub socket_dir: PathBuf,
    /// Whether TCP connections need the superuser password.
    pub password_auth: bool,
}

impl ClusterState {
    /// File name inside the data directory.
    pub const FILE: &'static str = "indexpilot-demo.json";

    /// Reads the state from a data directory, or from the state file itself.
    pub fn read(path: &Path) -> Result<Self> {
        let file = if path.is_dir() {
            path.join(Self::FILE)
        } else {
            path.to_path_buf()
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DemoError::NoState(path.to_path_buf()))
            }
            Err(e) => return Err(DemoError::io(format!("read {}", file.display()))(e)),
        };
        serde_json::from_str(&text).map_err(|e| DemoError::BadState {
            path: file,
            reason: e.to_string(),
        })
    }

    /// Writes the state into a data directory, atomically so a reader never sees half a file.
    pub fn write(&self, data_dir: &Path) -> Result<()> {
        let file = data_dir.join(Self::FILE);
        let tmp = data_dir.join(format!("{}.tmp", Self::FILE));
        let text = serde_json::to_string_pretty(self).map_err(|e| DemoError::BadState {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        std::fs::write(&tmp, text).map_err(DemoError::io(format!("write {}", tmp.display())))?;
        std::fs::rename(&tmp, &file).map_err(DemoError::io(format!("write {}", file.display())))
    }

    /// URL of the recorded database (or `postgres`), with the password when one is needed.
    pub fn url(&self, password: Option<&str>) -> String {
        super::url_for(
            self.port,
            password,
            self.database.as_deref().unwrap_or("postgres"),
        )
    }
}

/// Where `indexpilot demo` keeps its cluster: `$INDEXPILOT_DEMO_DIR`; as root
/// `/var/tmp/indexpilot-demo` (the server runs as `postgres`, who cannot enter `/root`);
/// otherwise `$XDG_DATA_HOME/indexpilot/demo` or `~/.local/share/indexpilot/demo`.
pub fn default_demo_dir() -> PathBuf {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env_dir("INDEXPILOT_DEMO_DIR") {
        return dir;
    }
    if super::install::is_root() {
        return PathBuf::from("/var/tmp/indexpilot-demo");
    }
    env_dir("XDG_DATA_HOME")
        .or_else(|| env_dir("HOME").map(|home| home.join(".local/share")))
        .map_or_else(
            || std::env::temp_dir().join("indexpilot-demo"),
            |data| data.join("indexpilot/demo"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = ClusterState {
            port: 6543,
            database: Some("crm demo".into()),
            socket_dir: dir.path().to_path_buf(),
            password_auth: true,
        };
        state.write(dir.path()).expect("write");
        assert_eq!(ClusterState::read(dir.path()).expect("read dir"), state);
        assert_eq!(
            ClusterState::read(&dir.path().join(ClusterState::FILE)).expect("read file"),
            state
        );
        assert_eq!(
            state.url(Some("p@ss")),
            "postgres://postgres:p%40ss@127.0.0.1:6543/crm%20demo"
        );
    }

    #[test]
    fn missing_state_says_to_start_the_demo() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = ClusterState::read(dir.path()).expect_err("no state yet");
        assert!(matches!(err, DemoError::NoState(_)), "{err}");
    }
}
