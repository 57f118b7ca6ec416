//! The machine's own PostgreSQL installation: where its binaries, libraries and extension
//! files are, and how to run its tools as a user they accept.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{DemoError, Result};

/// A PostgreSQL installation found on this machine.
#[derive(Debug, Clone)]
pub(crate) struct PgInstall {
    bindir: PathBuf,
}

impl PgInstall {
    /// `INDEXPILOT_PG_BIN`, else `pg_config --bindir`, else the highest
    /// `/usr/lib/postgresql/*/bin`. Only a directory holding `initdb` counts: Debian's
    /// client-only packages ship a `pg_config` without the server.
    pub(crate) fn find() -> Result<Self> {
        if let Some(dir) = std::env::var_os("INDEXPILOT_PG_BIN").filter(|v| !v.is_empty()) {
            let bindir = PathBuf::from(dir);
            return if bindir.join("initdb").is_file() {
                Ok(Self { bindir })
            } else {
                Err(DemoError::BadPgBin(bindir))
            };
        }
        let from_path = pg_config(Path::new("pg_config"), "--bindir");
        from_path
            .into_iter()
            .chain(highest_debian_bindir())
            .find(|dir| dir.join("initdb").is_file())
            .map(|bindir| Self { bindir })
            .ok_or(DemoError::BinariesNotFound)
    }

    pub(crate) fn bin(&self, tool: &str) -> PathBuf {
        self.bindir.join(tool)
    }

    /// Where the server's shared libraries (`pg_stat_statements.so`, ...) live.
    pub(crate) fn pkglibdir(&self) -> PathBuf {
        self.config_dir("--pkglibdir", "lib")
    }

    /// Where extension control files live (under `extension/`).
    pub(crate) fn sharedir(&self) -> PathBuf {
        self.config_dir("--sharedir", "share")
    }

    /// Asks this installation's own `pg_config`; when there is none, uses the standard
    /// relocatable layout if present, else the Debian one (`/usr/lib/postgresql/15/bin` ->
    /// `.../15/lib`, `/usr/share/postgresql/15`).
    fn config_dir(&self, flag: &str, kind: &str) -> PathBuf {
        if let Some(dir) = pg_config(&self.bin("pg_config"), flag) {
            return dir;
        }
        let version_dir = self.bindir.parent().unwrap_or(&self.bindir);
        // A relocatable build without pg_config (e.g. the embedded-postgres binaries used for
        // other majors) keeps the standard layout: <prefix>/lib/postgresql, <prefix>/share/postgresql.
        let standard = version_dir.join(kind).join("postgresql");
        if standard
            .join(if kind == "lib" {
                "pg_stat_statements.so"
            } else {
                "extension"
            })
            .exists()
        {
            return standard;
        }
        match (kind, version_dir.file_name()) {
            ("share", Some(version)) => Path::new("/usr/share/postgresql").join(version),
            _ => version_dir.join(kind),
        }
    }

    /// A command for one of the server tools. `initdb` and `pg_ctl` refuse to run as root, so
    /// as root they run as the Debian `postgres` user through `runuser`.
    pub(crate) fn command(&self, tool: &str) -> Command {
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(self.bin(tool));
            cmd
        } else {
            Command::new(self.bin(tool))
        }
    }
}

/// Runs a command to completion; a failure carries the last lines the tool printed.
pub(crate) fn run(mut cmd: Command, program: &str) -> Result<Output> {
    let output = cmd
        .output()
        .map_err(DemoError::io(format!("run {program}")))?;
    if output.status.success() {
        return Ok(output);
    }
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    Err(DemoError::Command {
        program: program.to_owned(),
        status: output.status.to_string(),
        detail: last_lines(&text, 3),
    })
}

/// The last `n` non-empty lines of `text`, joined on one line.
pub(crate) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// Whether this process runs as root (effective uid 0).
#[allow(unsafe_code)]
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid takes no arguments, cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() == 0 }
}

/// The uid and gid of the `postgres` system user, who owns clusters created as root.
pub(crate) fn postgres_ids() -> Result<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    id("-u").zip(id("-g")).ok_or(DemoError::NoPostgresUser)
}

fn pg_config(program: &Path, flag: &str) -> Option<PathBuf> {
    let out = Command::new(program).arg(flag).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let dir = text.trim();
    (out.status.success() && !dir.is_empty()).then(|| PathBuf::from(dir))
}

/// Debian and Ubuntu install each major version under `/usr/lib/postgresql/<version>/bin`.
fn highest_debian_bindir() -> Option<PathBuf> {
    let entries = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name
                .split('.')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").is_file())
        .max()
        .map(|(_, bin)| bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_pg_bin_is_reported_not_ignored() {
        // The only test of this binary that touches the variable (tests run in parallel).
        std::env::set_var("INDEXPILOT_PG_BIN", "/nonexistent/pg/bin");
        let found = PgInstall::find();
        std::env::remove_var("INDEXPILOT_PG_BIN");
        let err = found.expect_err("no initdb there");
        assert!(
            err.to_string()
                .contains("INDEXPILOT_PG_BIN=/nonexistent/pg/bin"),
            "{err}"
        );
    }

    #[test]
    fn last_lines_keeps_the_tail_on_one_line() {
        assert_eq!(last_lines("a\n\nb\n c \nd\n", 3), "b | c | d");
        assert_eq!(last_lines("only", 5), "only");
        assert_eq!(last_lines("", 2), "");
    }
}
