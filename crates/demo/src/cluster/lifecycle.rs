//! Creating, starting and stopping a cluster with `initdb` and `pg_ctl`.

use std::io::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::AtomicBool;

use super::config::{self, ServerSettings};
use super::dirs::{absolute, chown, prepare_dir, socket_dir_for, temp_base};
use super::install::{self, is_root, PgInstall};
use super::{Cluster, ClusterOptions, ClusterState};
use crate::error::{DemoError, Result};

const LOG_FILE: &str = "server.log";
/// A free port can be taken by someone else before the server binds it: try a few.
const PORT_ATTEMPTS: usize = 3;

pub(super) fn start(opts: ClusterOptions) -> Result<Cluster> {
    let install = PgInstall::find()?;
    // As root the server runs as `postgres`, which must own the directory.
    let owner = if is_root() {
        Some(install::postgres_ids()?)
    } else {
        None
    };
    let (temp, data_dir) = match &opts.data_dir {
        Some(dir) => (None, absolute(dir)?),
        None => {
            let temp = tempfile::Builder::new()
                .prefix("indexpilot-pg-")
                .tempdir_in(temp_base(owner))
                .map_err(DemoError::io("create a temporary data directory"))?;
            let path = temp.path().to_path_buf();
            (Some(temp), path)
        }
    };
    prepare_dir(&data_dir, owner)?;

    let initialised = data_dir.join("PG_VERSION").is_file();
    if !initialised {
        initdb(&install, &data_dir, opts.password.as_deref(), owner)?;
    }
    let previous = ClusterState::read(&data_dir).ok();
    let socket_dir = socket_dir_for(&data_dir);
    let mut cluster = Cluster {
        install,
        data_dir,
        socket_dir,
        port: 0,
        password: opts.password.clone(),
        keep_running: opts.keep_running,
        stopped: AtomicBool::new(false),
        temp,
    };

    if initialised && is_running(&cluster.install, &cluster.data_dir) {
        // Someone (a detached demo) left it running: attach instead of starting twice.
        let state =
            previous.ok_or_else(|| DemoError::RunningWithoutState(cluster.data_dir.clone()))?;
        cluster.port = state.port;
        cluster.socket_dir = state.socket_dir;
        return Ok(cluster);
    }

    let preload = available_libraries(&cluster.install, &opts.preload)?;
    // A reused cluster keeps its port when it can, so saved URLs keep working.
    let mut reusable = previous
        .as_ref()
        .map(|s| s.port)
        .filter(|p| port_is_free(*p));
    for attempt in 1..=PORT_ATTEMPTS {
        cluster.port = match (opts.port, reusable.take()) {
            (Some(port), _) => port,
            (None, Some(port)) => port,
            (None, None) => free_port()?,
        };
        let settings = ServerSettings {
            port: cluster.port,
            socket_dir: &cluster.socket_dir,
            preload: &preload,
            password_auth: opts.password.is_some(),
        };
        config::write(&cluster.data_dir, &settings)?;
        match pg_ctl_start(&cluster.install, &cluster.data_dir) {
            Ok(()) => break,
            Err(DemoError::StartFailed { tail, .. })
                if opts.port.is_none()
                    && attempt < PORT_ATTEMPTS
                    && tail.contains("could not bind") =>
            {
                tracing::debug!(port = cluster.port, "port taken meanwhile, trying another");
            }
            Err(e) => {
                // Nothing to stop: make the drop skip pg_ctl.
                cluster.stopped = AtomicBool::new(true);
                return Err(e);
            }
        }
    }

    if let (true, Some(password)) = (initialised, opts.password.as_deref()) {
        // initdb only set the password of a new cluster; a reused one gets it now.
        set_password(&cluster, password)?;
    }
    let database = previous.and_then(|s| s.database);
    ClusterState {
        port: cluster.port,
        database,
        socket_dir: cluster.socket_dir.clone(),
        password_auth: opts.password.is_some(),
    }
    .write(&cluster.data_dir)?;
    tracing::info!(port = cluster.port, data_dir = %cluster.data_dir.display(), "PostgreSQL started");
    Ok(cluster)
}

pub(super) fn stop_data_dir(data_dir: &Path) -> Result<bool> {
    if !data_dir.exists() {
        return Ok(false);
    }
    let install = PgInstall::find()?;
    if !data_dir.join("PG_VERSION").is_file() {
        return Err(DemoError::NotADataDir(data_dir.to_path_buf()));
    }
    if !is_running(&install, data_dir) {
        return Ok(false);
    }
    pg_ctl_stop(&install, data_dir)?;
    Ok(true)
}

pub(super) fn pg_ctl_stop(install: &PgInstall, data_dir: &Path) -> Result<()> {
    let mut cmd = install.command("pg_ctl");
    cmd.arg("-D")
        .arg(data_dir)
        .args(["-m", "fast", "-w", "-t", "60", "stop"]);
    install::run(cmd, "pg_ctl stop").map(drop)
}

fn pg_ctl_start(install: &PgInstall, data_dir: &Path) -> Result<()> {
    let log = data_dir.join(LOG_FILE);
    let mut cmd = install.command("pg_ctl");
    cmd.arg("-D")
        .arg(data_dir)
        .arg("-l")
        .arg(&log)
        .args(["-w", "-t", "60", "start"]);
    // The postmaster writes to the log file, not to our pipes, so waiting for output ends.
    match install::run(cmd, "pg_ctl start") {
        Ok(_) => Ok(()),
        Err(e) => {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let tail = install::last_lines(&text, 5);
            let tail = if tail.is_empty() { e.to_string() } else { tail };
            Err(DemoError::StartFailed { log, tail })
        }
    }
}

fn is_running(install: &PgInstall, data_dir: &Path) -> bool {
    // `pg_ctl status`: 0 running, 3 not running, 4 no readable data directory.
    let mut cmd = install.command("pg_ctl");
    cmd.arg("-D").arg(data_dir).arg("status");
    cmd.output().is_ok_and(|out| out.status.success())
}

fn initdb(
    install: &PgInstall,
    data_dir: &Path,
    password: Option<&str>,
    owner: Option<(u32, u32)>,
) -> Result<()> {
    let not_empty = std::fs::read_dir(data_dir)
        .map_err(DemoError::io(format!("read {}", data_dir.display())))?
        .next()
        .is_some();
    if not_empty {
        return Err(DemoError::NotADataDir(data_dir.to_path_buf()));
    }
    let mut cmd = install.command("initdb");
    cmd.arg("-D").arg(data_dir);
    cmd.args([
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
        "--auth-local=trust",
    ]);
    // With a password, TCP uses SCRAM; saying so to initdb makes it store the superuser's
    // password as a SCRAM secret even where the default is still md5 (PostgreSQL 13).
    cmd.arg(if password.is_some() {
        "--auth-host=scram-sha-256"
    } else {
        "--auth-host=trust"
    });
    // The password goes through a file readable by the server's user only, never argv.
    let pwfile = match password {
        Some(password) => {
            let mut file = tempfile::Builder::new()
                .prefix("indexpilot-pw-")
                .tempfile_in(temp_base(owner))
                .map_err(DemoError::io("create the password file"))?;
            writeln!(file, "{password}").map_err(DemoError::io("write the password file"))?;
            chown(file.path(), owner)?;
            cmd.arg(format!("--pwfile={}", file.path().display()));
            Some(file)
        }
        None => None,
    };
    install::run(cmd, "initdb")?;
    drop(pwfile);
    Ok(())
}

fn set_password(cluster: &Cluster, password: &str) -> Result<()> {
    let mut cmd = cluster.install.command("psql");
    cmd.args([
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-h",
    ])
    .arg(&cluster.socket_dir)
    .args(["-p", &cluster.port.to_string()])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(DemoError::io("run psql"))?;
    // Through stdin, so the password never shows in the process list.
    let sql = format!(
        "ALTER ROLE postgres PASSWORD '{}';\n",
        password.replace('\'', "''")
    );
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(sql.as_bytes())
            .map_err(DemoError::io("write to psql"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(DemoError::io("run psql"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(DemoError::Command {
        program: "psql (set password)".into(),
        status: out.status.to_string(),
        detail: install::last_lines(&String::from_utf8_lossy(&out.stderr), 3),
    })
}

/// Drops `pg_qualstats` when it is not installed; any other missing library is an error,
/// because the server would refuse to start with it.
fn available_libraries(install: &PgInstall, wanted: &[String]) -> Result<Vec<String>> {
    let dir = install.pkglibdir();
    let mut found = Vec::new();
    for name in wanted {
        if dir.join(format!("{name}.so")).is_file() {
            found.push(name.clone());
        } else if name == "pg_qualstats" {
            tracing::info!("pg_qualstats is not installed: starting without it");
        } else {
            return Err(DemoError::MissingLibrary {
                name: name.clone(),
                dir,
            });
        }
    }
    Ok(found)
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).map_err(DemoError::io("find a free TCP port"))?;
    let addr = listener
        .local_addr()
        .map_err(DemoError::io("find a free TCP port"))?;
    Ok(addr.port())
}
