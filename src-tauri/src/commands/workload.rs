//! The workload: top statements (a fresh snapshot first on a writable connection), a
//! statement's plan and chart, field usage, index health and the background collector.

use super::{on_own_thread, CmdResult};
use crate::state::{AppState, CollectorLast, RunningCollector};
use indexpilot_engine::advisor::explain::{self, Explained};
use indexpilot_engine::advisor::IndexDef;
use indexpilot_engine::change::charts::{self, Theme};
use indexpilot_engine::health::{self, HealthOptions, HealthReport};
use indexpilot_engine::migrate;
use indexpilot_engine::workload::collect::Collector;
use indexpilot_engine::workload::usage::{self, FieldUsageReport, WorkloadReport};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::State;
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
