//! Changes: approving, applying and rolling back the advisor's proposals with progress, and
//! the timeline with each change's experiments. Every change goes through the engine's
//! change state machine, so the app and the CLI see (and record) the same thing.

use super::CmdResult;
use crate::progress;
use crate::state::AppState;
use indexpilot_engine::change::charts::{self, Theme};
use indexpilot_engine::change::{self, log::HistoryEntry, Change};
use indexpilot_engine::{migrate, Actor};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

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
