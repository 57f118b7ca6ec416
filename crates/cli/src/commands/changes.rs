//! Changes: approve, reject, apply, roll back, re-apply, the history, validation experiments
//! and the apply policy. Every command first settles builds a crash left behind.

use crate::args::PolicyCommand;
use crate::output::{bytes, table, Output};
use indexpilot_engine::change::charts::{self, Theme};
use indexpilot_engine::change::ApplyPolicy;
use indexpilot_engine::change::{self, experiment, policy, Change, ChangeState, Experiment};
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::{migrate, Actor, Error, Progress, Result};
use serde_json::json;
use sqlx::PgPool;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The actor and the effective apply policy (defaults, policy file, database), after
/// settling builds a crash left behind.
async fn ready(pool: &PgPool, file: &PolicyFile) -> Result<(Actor, ApplyPolicy)> {
    migrate::require_initialised(pool).await?;
    let actor = Actor::from_env();
    let policy = config::effective(pool, file).await?.apply;
    for r in change::reconcile(pool, &actor, &policy).await? {
        eprintln!(
            "indexpilot: change {}: {} → {} after an interruption ({})",
            r.id, r.from, r.to, r.note
        );
    }
    Ok((actor, policy))
}

fn summary(c: &Change) -> String {
    format!(
        "change {} ({} {}.{}) is {}",
        c.id,
        match c.kind {
            change::ChangeKind::Create => "create",
            change::ChangeKind::Drop => "drop",
        },
        c.schema,
        c.index_name,
        c.state
    )
}

pub async fn approve(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    note: Option<&str>,
) -> Result<ExitCode> {
    let (actor, _) = ready(pool, file).await?;
    let c = change::approve(pool, &actor, id, note).await?;
    out.emit(&c, |c| format!("{}\n{}", summary(c), c.ddl));
    Ok(ExitCode::SUCCESS)
}

pub async fn reject(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    reason: &str,
) -> Result<ExitCode> {
    let (actor, _) = ready(pool, file).await?;
    let c = change::reject(pool, &actor, id, reason).await?;
    out.emit(&c, summary);
    Ok(ExitCode::SUCCESS)
}

/// Prints a build's phases and progress on stderr (stdout stays for the result), when
/// stderr is a terminal: scripts and cron get the result and at most one error line.
struct Printer {
    last: Mutex<(String, i64)>,
    on: bool,
}

impl Progress for Printer {
    // A share of 0..=1 as a whole percentage.
    #[allow(clippy::cast_possible_truncation)]
    fn step(&self, step: &str, fraction: f64) {
        let pct = (fraction * 100.0).floor() as i64;
        if !self.on {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            if last.0 != step || pct >= last.1 + 10 {
                eprintln!("indexpilot: {step} {pct}%");
                *last = (step.to_string(), pct);
            }
        }
    }
}

/// A flag Ctrl-C sets: the build is cancelled with pg_cancel_backend and cleaned up.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = Arc::clone(&flag);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                eprintln!("indexpilot: cancelling the build…");
            }
            f.store(true, Ordering::SeqCst);
        }
    });
    flag
}

fn printer() -> Printer {
    use std::io::IsTerminal as _;
    Printer {
        last: Mutex::new((String::new(), -100)),
        on: std::io::stderr().is_terminal(),
    }
}

fn applied(out: &Output, c: &Change) {
    out.emit(c, |c| {
        let size = c.last["size_bytes"].as_i64().map(bytes).unwrap_or_default();
        let ms = c.last["duration_ms"].as_u64().unwrap_or(0);
        format!(
            "{} ({:.1} s{}{})\n{}",
            summary(c),
            ms as f64 / 1000.0,
            if size.is_empty() { "" } else { ", " },
            size,
            c.ddl
        )
    });
}

pub async fn apply(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    wait: bool,
    url: Option<&str>,
) -> Result<ExitCode> {
    let (actor, policy) = ready(pool, file).await?;
    build(pool, out, file, id, wait, url, (&actor, &policy)).await
}

/// `reapply`: `apply` for a rolled-back change, refused up front (one line, before anything
/// starts in the background) for any other.
pub async fn reapply(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    wait: bool,
    url: Option<&str>,
) -> Result<ExitCode> {
    let (actor, policy) = ready(pool, file).await?;
    change::require_rolled_back(pool, id).await?;
    build(pool, out, file, id, wait, url, (&actor, &policy)).await
}

/// Builds the change here with progress (`--wait`), or in the background.
async fn build(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    wait: bool,
    url: Option<&str>,
    (actor, policy): (&Actor, &ApplyPolicy),
) -> Result<ExitCode> {
    if wait {
        let c = change::apply(pool, actor, policy, id, &printer(), &cancel_on_ctrl_c()).await?;
        applied(out, &c);
        return Ok(ExitCode::SUCCESS);
    }
    background(pool, out, file, id, url).await
}

/// Starts `indexpilot apply ID --wait` detached (its own process group, output to a log
/// file), and reports once the build has started, or why it could not.
async fn background(
    pool: &PgPool,
    out: &Output,
    policy_file: &PolicyFile,
    id: i64,
    url: Option<&str>,
) -> Result<ExitCode> {
    let before = change::log::load_pool(pool, id).await?;
    before.check(ChangeState::Applying)?;
    let exe = std::env::current_exe()
        .map_err(|e| Error::Local(format!("cannot find the indexpilot binary: {e}")))?;
    let (log, file) = indexpilot_engine::local::private_log_file(&format!(
        "apply-{id}-{}.log",
        std::process::id()
    ))?;
    let err = file
        .try_clone()
        .map_err(|e| Error::Local(format!("cannot create {}: {e}", log.display())))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(["apply", &id.to_string(), "--wait"])
        .stdin(std::process::Stdio::null())
        .stdout(file)
        .stderr(err);
    // The URL goes through the environment, never the command line (ps shows that).
    if let Some(u) = url {
        cmd.env("DATABASE_URL", u);
    }
    // The build runs under the same policy file, wherever it was found.
    match policy_file.path.as_deref().map(std::fs::canonicalize) {
        Some(Ok(p)) => cmd.env("INDEXPILOT_CONFIG", p),
        _ => cmd.env_remove("INDEXPILOT_CONFIG"),
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::Local(format!("cannot start the background build: {e}")))?;
    for _ in 0..150 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Ok(Some(status)) = child.try_wait() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if status.success() {
                let c = change::log::load_pool(pool, id).await?;
                applied(out, &c);
                return Ok(ExitCode::SUCCESS);
            }
            let line = text
                .lines()
                .rev()
                .find(|l| l.starts_with("indexpilot: error: "))
                .map(|l| l.trim_start_matches("indexpilot: error: ").to_string())
                .unwrap_or_else(|| {
                    format!(
                        "the background build exited with {status}; see {}",
                        log.display()
                    )
                });
            return Err(Error::Local(line));
        }
        let c = change::log::load_pool(pool, id).await?;
        if c.state == ChangeState::Applying {
            let pid = c.last["pid"].as_i64().unwrap_or(0);
            out.emit(&json!({"id": id, "state": "applying", "backend_pid": pid,
                             "log": log.display().to_string()}), |_| {
                format!(
                    "change {id} is applying in the background (backend pid {pid}); follow it with `indexpilot history`, log: {}",
                    log.display()
                )
            });
            return Ok(ExitCode::SUCCESS);
        }
    }
    Err(Error::Local(format!(
        "the background build has not started after 30 s; see {}",
        log.display()
    )))
}

/// `apply --dry-run` / `rollback --dry-run`: what would run, read only (no reconcile either).
pub async fn preview(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    id: i64,
    rollback: bool,
) -> Result<ExitCode> {
    migrate::require_initialised(pool).await?;
    let policy = config::effective(pool, file).await?.apply;
    let p = if rollback {
        change::preview::rollback(pool, &policy, id).await?
    } else {
        change::preview::apply(pool, &policy, id).await?
    };
    out.emit(&p, |p| match &p.note {
        Some(note) => format!("{}\n\n{note}", p.sql),
        None => p.sql.clone(),
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn rollback(pool: &PgPool, out: &Output, file: &PolicyFile, id: i64) -> Result<ExitCode> {
    let (actor, policy) = ready(pool, file).await?;
    let c = change::rollback(pool, &actor, &policy, id, &printer(), &cancel_on_ctrl_c()).await?;
    out.emit(&c, summary);
    Ok(ExitCode::SUCCESS)
}

pub async fn history(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<ExitCode> {
    ready(pool, file).await?;
    let entries = change::history(pool, since).await?;
    out.emit(&entries, |entries| {
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                let d = &e.details_json;
                let what = if e.kind == "validation" {
                    format!("verdict: {}", d["verdict"].as_str().unwrap_or("?"))
                } else {
                    e.status.clone().unwrap_or_default()
                };
                let note = [&d["message"], &d["reason"], &d["note"]]
                    .iter()
                    .find_map(|v| v.as_str())
                    .unwrap_or("")
                    .chars()
                    .take(70)
                    .collect::<String>();
                vec![
                    e.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.change_id.to_string(),
                    e.kind.clone(),
                    what,
                    format!(
                        "{}/{}",
                        e.actor_role,
                        e.actor_os_user.as_deref().unwrap_or("-")
                    ),
                    format!(
                        "{}.{}",
                        e.schema_name.as_deref().unwrap_or(""),
                        e.table_name.as_deref().unwrap_or("")
                    ),
                    note,
                ]
            })
            .collect();
        if rows.is_empty() {
            "no index changes yet: `indexpilot advise` proposes some".to_string()
        } else {
            table(
                &[
                    "time",
                    "change",
                    "kind",
                    "state",
                    "actor (role/os)",
                    "table",
                    "detail",
                ],
                &rows,
            )
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn experiments(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    judge: Option<i64>,
    charts_dir: Option<&Path>,
) -> Result<ExitCode> {
    let (actor, policy) = ready(pool, file).await?;
    let mut judged: Vec<Experiment> = experiment::evaluate_due(pool, &actor, &policy).await?;
    if let Some(id) = judge {
        judged.push(experiment::evaluate(pool, &actor, &policy, id, true).await?);
    }
    if let Some(dir) = charts_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Local(format!("cannot create {}: {e}", dir.display())))?;
        for e in &judged {
            let svg = charts::experiment_chart(pool, e.id, Theme::Light).await?;
            let path = dir.join(format!("experiment-{}.svg", e.id));
            indexpilot_engine::typegen::write_file(&path, &svg)?;
            if e.verdict_json["index_size_bytes"].is_number() {
                let svg = charts::index_chart(pool, e.mutation_id, Theme::Light).await?;
                let path = dir.join(format!("change-{}-index.svg", e.mutation_id));
                indexpilot_engine::typegen::write_file(&path, &svg)?;
            }
            for s in e.verdict_json["statements"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if s["counted"] != true {
                    continue;
                }
                let q = s["queryid"].as_i64().unwrap_or(0);
                let svg =
                    charts::statement_chart(pool, q, Some(e.mutation_id), Theme::Light).await?;
                let path = dir.join(format!("change-{}-statement-{q}.svg", e.mutation_id));
                indexpilot_engine::typegen::write_file(&path, &svg)?;
            }
        }
    }
    let all = experiment::list(pool).await?;
    out.emit(&all, |all| {
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|e| {
                let v = &e.verdict_json;
                let ratio = v["time_ratio"]
                    .as_f64()
                    .map(|r| format!("{:+.0}%", (r - 1.0) * 100.0))
                    .unwrap_or_default();
                let rate =
                    |x: Option<f64>| x.map(|r| format!("{r:.1}/s")).unwrap_or_else(|| "-".into());
                let hot = |x: Option<f64>| {
                    x.map(|r| format!("{:.0}%", r * 100.0))
                        .unwrap_or_else(|| "-".into())
                };
                vec![
                    e.id.to_string(),
                    e.mutation_id.to_string(),
                    e.status.clone(),
                    e.verdict.clone().unwrap_or_default(),
                    ratio,
                    format!(
                        "{} → {}",
                        rate(e.write_rate_before),
                        rate(e.write_rate_after)
                    ),
                    format!("{} → {}", hot(e.hot_ratio_before), hot(e.hot_ratio_after)),
                    v["reason"].as_str().unwrap_or("").to_string(),
                ]
            })
            .collect();
        if rows.is_empty() {
            "no experiments yet: each applied change starts one".to_string()
        } else {
            let mut text = table(
                &[
                    "id", "change", "status", "verdict", "time", "writes", "HOT", "why",
                ],
                &rows,
            );
            for e in all
                .iter()
                .filter(|e| e.verdict_json["rollback_proposed"] == true)
            {
                text.push_str(&format!(
                    "\nchange {} regressed: roll it back with `indexpilot rollback {}`",
                    e.mutation_id, e.mutation_id
                ));
            }
            text
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn policy(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    cmd: PolicyCommand,
) -> Result<ExitCode> {
    let (actor, _) = ready(pool, file).await?;
    if let PolicyCommand::Set { key, value } = &cmd {
        policy::set(pool, &actor, key, value).await?;
    }
    // The apply section of the effective configuration, keys without their section.
    let values: Vec<serde_json::Value> = config::effective(pool, file)
        .await?
        .settings
        .into_iter()
        .filter_map(|s| {
            let key = s.key.strip_prefix("apply.")?.to_string();
            Some(json!({"key": key, "value": s.value, "source": s.source.to_string()}))
        })
        .collect();
    out.emit(&values, |values| {
        let rows: Vec<Vec<String>> = values
            .iter()
            .map(|v| {
                ["key", "value", "source"]
                    .iter()
                    .map(|k| v[k].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .collect();
        table(&["setting", "value", "source"], &rows)
    });
    Ok(ExitCode::SUCCESS)
}
