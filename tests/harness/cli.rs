//! Runs the real `indexpilot` binary, with a clean environment (no PG* variables or
//! DATABASE_URL from the developer's shell leak into a test).

use std::path::PathBuf;
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts success and returns self, printing both streams on failure.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts a user error: exit code 2 and exactly one line on stderr, no panic, no trace.
    pub fn user_error(self) -> Self {
        assert_eq!(
            self.code, 2,
            "expected exit code 2\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "expected one line on stderr, got:\n{}",
            self.stderr
        );
        assert!(lines[0].starts_with("indexpilot: error: "), "{}", lines[0]);
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack backtrace",
            "internal error",
        ] {
            assert!(!self.stderr.contains(bad), "{}", self.stderr);
        }
        self
    }
}

/// The `indexpilot` binary next to this test binary (target/<profile>/indexpilot).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let bin = dir.join("indexpilot");
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build -p indexpilot-cli` (make test does)",
        bin.display()
    );
    bin
}

pub fn run(args: &[&str]) -> Run {
    run_with_env(args, &[])
}

pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(binary());
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("PG")
            || k == "DATABASE_URL"
            || k == "INDEXPILOT_LOG"
            || k == "INDEXPILOT_CONFIG"
        {
            cmd.env_remove(k);
        }
    }
    // A .pgpass in the developer's home must not make a wrong-password test pass.
    cmd.env("PGPASSFILE", "/nonexistent/indexpilot-test-pgpass");
    cmd.env("USER", "test-operator");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run indexpilot");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `indexpilot --database-url URL args...`
pub fn on(url: &str, args: &[&str]) -> Run {
    let mut all = vec!["--database-url", url];
    all.extend_from_slice(args);
    run(&all)
}
