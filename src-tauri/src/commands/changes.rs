//! The daily loop: the workload, the advisor's proposals, approving and applying them with
//! progress, and the timeline with rollback. Every change goes through the engine's change
//! state machine, so the app and the CLI see (and record) the same thing.

use super::CmdResult;
use crate::progress;
use crate::state::{AppState, CollectorLast, RunningCollector};
use indexpilot_engine::advisor::explain::{self, Explained};
use indexpilot_engine::advisor::{self, Advice, AdviseOptions, IndexDef, StoredProposal};
use indexpilot_engine::change::charts::{self, Theme};
use indexpilot_engine::change::{self, log::HistoryEntry, Change};
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::health::{self, HealthOptions, HealthReport};
use indexpilot_engine::workload::collect::Collector;
use indexpilot_engine::workload::usage::{self, FieldUsageReport, WorkloadReport};
use indexpilot_engine::{migrate, Actor, Error};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

/// The top statements of the collected workload (or pg_stat_statements' totals).
#[tauri::command]
pub async fn workload_top(state: State<'_, AppState>, top: usize) -> CmdResult<WorkloadReport> {
    let pool = state.pool().await?;
    migrate::require_initialised(&pool).await?;
    let writable = indexpilot_engine::connect::access::of_pool(&pool)
        .await?
        .writable();
    if writable && state.writable_pool().await.is_ok() {
        // A snapshot now, so the view shows the workload as it is (it writes only into the
        // indexpilot schema, which a read-only connection, a read-only role or a hot standby
        // must not: they see what is collected, and pg_stat_statements as it stands).
        indexpilot_engine::workload::collect::collect_once(&pool).await?;
    }
    Ok(usage::workload(&pool, top.clamp(1, 10_000), None).await?)
}

/// Runs the advisor over the whole workload and records its proposals (a read-only
/// connection gets a dry run: proposals to review, nothing recorded).
#[tauri::command]
pub async fn advise_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    budget_bytes: Option<i64>,
    max_indexes: Option<usize>,
) -> CmdResult<Advice> {
    let pool = state.pool().await?;
    // A hot standby or a read-only role gets a dry run too.
    let record = state.writable_pool().await.is_ok()
        && indexpilot_engine::connect::access::of_pool(&pool)
            .await?
            .writable();
    // The team's advisor policy as stored in the database; the dialog's values on top.
    migrate::require_initialised(&pool).await?;
    let stored = config::effective(&pool, &PolicyFile::none()).await?;
    let mut options = AdviseOptions {
        record,
        // A read-only connection's run writes nothing anywhere.
        read_only: !record,
        ..stored.advisor.options()
    };
    if budget_bytes.is_some() {
        options.select.budget_bytes = budget_bytes;
    }
    if let Some(n) = max_indexes {
        options.select.max_indexes = n.clamp(1, 100);
    }
    let sink = progress::Emit {
        app: app.clone(),
        task: "advise",
    };
    let actor = Actor::from_env();
    let advice = on_own_thread("the advisor", move || async move {
        advisor::advise(&pool, &actor, &options, &sink).await
    })
    .await;
    progress::emit(&app, "advise", "finished", Some(1.0), true);
    Ok(advice?)
}

/// The proposals waiting for a decision in the mutation log (an earlier run's, or a
/// scheduled `indexpilot advise`'s), with who proposed them and when: what the Advisor view
/// shows on open. None on a database IndexPilot was never initialised in.
#[tauri::command]
pub async fn advice_stored(state: State<'_, AppState>) -> CmdResult<Vec<StoredProposal>> {
    let pool = state.pool().await?;
    if migrate::current_version(&pool).await? == 0 {
        return Ok(Vec::new());
    }
    migrate::require_initialised(&pool).await?;
    Ok(advisor::open_proposals(&pool).await?)
}

/// Runs engine work whose future is Send, but not provably so for every lifetime (a compiler
/// limit with sqlx's executors), on a blocking thread of its own driven by this runtime.
async fn on_own_thread<T, F, Fut>(what: &str, work: F) -> indexpilot_engine::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = indexpilot_engine::Result<T>>,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(work()))
        .await
        .map_err(|e| Error::Client(format!("{what} stopped: {e}")))?
}

/// A change as the timeline and the advisor view show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeView {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub schema: String,
    pub table: String,
    pub index_name: String,
    pub ddl: String,
}

impl From<Change> for ChangeView {
    fn from(c: Change) -> Self {
        ChangeView {
            id: c.id,
            kind: c.kind.log_kind().to_string(),
            state: c.state.as_str().to_string(),
            schema: c.schema,
            table: c.table,
            index_name: c.index_name,
            ddl: c.ddl,
        }
    }
}

#[tauri::command]
pub async fn change_get(state: State<'_, AppState>, id: i64) -> CmdResult<ChangeView> {
    let pool = state.pool().await?;
    Ok(change::log::load_pool(&pool, id).await?.into())
}

#[tauri::command]
pub async fn change_approve(
    state: State<'_, AppState>,
    id: i64,
    note: Option<String>,
) -> CmdResult<ChangeView> {
    let pool = state.writable_pool().await?;
    Ok(
        change::approve(&pool, &Actor::from_env(), id, note.as_deref())
            .await?
            .into(),
    )
}

#[tauri::command]
pub async fn change_reject(
    state: State<'_, AppState>,
    id: i64,
    reason: String,
) -> CmdResult<ChangeView> {
    let pool = state.writable_pool().await?;
    Ok(change::reject(&pool, &Actor::from_env(), id, &reason)
        .await?
        .into())
}

/// Which of apply, rollback and re-apply to run.
#[derive(Debug, Clone, Copy, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Apply,
    Rollback,
    Reapply,
}

/// Applies, rolls back or re-applies a change, sending "progress" events of task
/// `change-<id>` (phase and share of CREATE INDEX CONCURRENTLY); `task_cancel` with that
/// name cancels the build cleanly.
#[tauri::command]
pub async fn change_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    action: ChangeAction,
) -> CmdResult<ChangeView> {
    let pool = state.writable_pool().await?;
    let actor = Actor::from_env();
    // The app has no policy file: the team's policy is what the database stores.
    let policy = change::policy::load(&pool).await?;
    change::reconcile(&pool, &actor, &policy).await?;
    let task = format!("change-{id}");
    let cancel = state.cancel_flag(&task);
    let sink = TaskProgress {
        app: app.clone(),
        task: task.clone(),
    };
    let result = match action {
        ChangeAction::Apply => change::apply(&pool, &actor, &policy, id, &sink, &cancel).await,
        ChangeAction::Rollback => {
            change::rollback(&pool, &actor, &policy, id, &sink, &cancel).await
        }
        ChangeAction::Reapply => change::reapply(&pool, &actor, &policy, id, &sink, &cancel).await,
    };
    state.finish_flag(&task);
    progress::emit(&app, &task, "finished", Some(1.0), true);
    Ok(result?.into())
}

/// What `change_run` with `action` would run now, for the confirmation: the statements in
/// order and what their text does not say (a partitioned table's steps and locks). Reads only.
#[tauri::command]
pub async fn change_preview(
    state: State<'_, AppState>,
    id: i64,
    action: ChangeAction,
) -> CmdResult<change::preview::ChangePreview> {
    let pool = state.pool().await?;
    let policy = change::policy::load(&pool).await?;
    Ok(match action {
        ChangeAction::Apply | ChangeAction::Reapply => {
            change::preview::apply(&pool, &policy, id).await?
        }
        ChangeAction::Rollback => change::preview::rollback(&pool, &policy, id).await?,
    })
}

/// Like [`progress::Emit`], for a task named at run time.
struct TaskProgress<R: Runtime> {
    app: AppHandle<R>,
    task: String,
}

impl<R: Runtime> indexpilot_engine::Progress for TaskProgress<R> {
    fn step(&self, step: &str, fraction: f64) {
        progress::emit(&self.app, &self.task, step, Some(fraction), false);
    }
}

/// Every entry of the mutation log (newest `limit`), oldest first: the timeline. Settles
/// builds a crash left behind first, so every instance shows the same states.
#[tauri::command]
pub async fn timeline(
    state: State<'_, AppState>,
    limit: Option<i64>,
) -> CmdResult<Vec<HistoryEntry>> {
    let pool = state.pool().await?;
    migrate::require_initialised(&pool).await?;
    if let Ok(writable) = state.writable_pool().await {
        let policy = change::policy::load(&writable).await?;
        change::reconcile(&writable, &Actor::from_env(), &policy).await?;
    }
    Ok(change::log::timeline(&pool, limit.unwrap_or(2000).clamp(1, 20_000)).await?)
}

/// The before/after chart (SVG) of a judged experiment.
#[tauri::command]
pub async fn experiment_chart(
    state: State<'_, AppState>,
    experiment_id: i64,
    theme: Theme,
) -> CmdResult<String> {
    let pool = state.pool().await?;
    Ok(charts::experiment_chart(&pool, experiment_id, theme).await?)
}

/// A statement's plan now, or with one hypothetical index (nothing is built).
#[tauri::command]
pub async fn explain_statement(
    state: State<'_, AppState>,
    query: String,
    index: Option<IndexDef>,
) -> CmdResult<Explained> {
    let pool = state.pool().await?;
    // Planning runs in a rolled-back what-if session.
    Ok(on_own_thread("planning", move || async move {
        explain::explain(&pool, &query, index.as_ref()).await
    })
    .await?)
}

/// A statement's mean time and calls over the collected intervals (SVG), with a change
/// marked when given.
#[tauri::command]
pub async fn statement_chart(
    state: State<'_, AppState>,
    queryid: i64,
    change_id: Option<i64>,
    theme: Theme,
) -> CmdResult<String> {
    let pool = state.pool().await?;
    Ok(charts::statement_chart(&pool, queryid, change_id, theme).await?)
}

/// Index health: invalid, duplicate, redundant and unused indexes, unindexed foreign keys.
#[tauri::command]
pub async fn health_report(state: State<'_, AppState>) -> CmdResult<HealthReport> {
    let pool = state.pool().await?;
    Ok(health::run(&pool, HealthOptions::default()).await?)
}

/// The background collector: whether it runs, every how long, and its latest round.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CollectorStatus {
    pub running: bool,
    pub interval_s: Option<u64>,
    pub last: CollectorLast,
}

async fn collector_status_of(state: &AppState) -> CollectorStatus {
    let guard = state.collector.lock().await;
    match guard.as_ref() {
        Some(r) => CollectorStatus {
            running: true,
            interval_s: Some(r.interval_s),
            last: r.last.lock().map(|l| l.clone()).unwrap_or_default(),
        },
        None => CollectorStatus {
            running: false,
            interval_s: None,
            last: CollectorLast::default(),
        },
    }
}

#[tauri::command]
pub async fn collector_status(state: State<'_, AppState>) -> CmdResult<CollectorStatus> {
    Ok(collector_status_of(&state).await)
}

/// Starts (or restarts at a new interval) the background collector of the open connection;
/// `None` stops it. It writes into the indexpilot schema, so not on a read-only connection.
#[tauri::command]
pub async fn collector_set(
    state: State<'_, AppState>,
    interval_s: Option<u64>,
) -> CmdResult<CollectorStatus> {
    let previous = state.collector.lock().await.take();
    if let Some(r) = previous {
        r.collector.stop().await;
    }
    if let Some(every) = interval_s {
        let pool = state.writable_pool().await?;
        migrate::require_initialised(&pool).await?;
        let every = every.clamp(5, 86_400);
        let last = Arc::new(Mutex::new(CollectorLast::default()));
        let sink = Arc::clone(&last);
        let collector = Collector::start(pool, Duration::from_secs(every), move |report| {
            if let Ok(mut l) = sink.lock() {
                match report {
                    Ok(r) => {
                        *l = CollectorLast {
                            at: Some(r.captured_at),
                            statements: Some(r.statements),
                            error: None,
                        }
                    }
                    Err(e) => l.error = Some(e.to_string()),
                }
            }
        });
        *state.collector.lock().await = Some(RunningCollector {
            collector,
            interval_s: every,
            last,
        });
    }
    Ok(collector_status_of(&state).await)
}

/// Calls and time per field and role in the collected workload, plus host-application rows.
#[tauri::command]
pub async fn field_usage(state: State<'_, AppState>) -> CmdResult<FieldUsageReport> {
    let pool = state.pool().await?;
    Ok(usage::field_usage(&pool, None).await?)
}
