//! Initialise, browse and curate the genome; sync it with the schema.

use super::CmdResult;
use crate::progress;
use crate::state::AppState;
use indexpilot_engine::genome::{self, FlagEdit, GenomeBrowse, GenomeField, Reconciled, SyncPlan};
use indexpilot_engine::{Actor, FieldRef};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct InitSummary {
    pub version: i32,
    pub applied: Vec<i32>,
    pub relations: usize,
    pub fields: usize,
    pub bootstrapped: bool,
    pub changes: usize,
}

#[tauri::command]
pub async fn metadata_init<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<InitSummary> {
    let pool = state.writable_pool().await?;
    let sink = progress::Emit {
        app: app.clone(),
        task: "init",
    };
    let report = indexpilot_engine::init_with_progress(&pool, &Actor::from_env(), &sink).await;
    progress::emit(&app, "init", "finished", Some(1.0), true);
    let r = report?;
    let (bootstrapped, changes) = match &r.genome {
        Reconciled::Bootstrapped { fields, .. } => (true, *fields),
        Reconciled::Synced { plan } => (false, plan.change_count()),
    };
    Ok(InitSummary {
        version: r.migrations.version,
        applied: r.migrations.applied,
        relations: r.relations,
        fields: r.fields,
        bootstrapped,
        changes,
    })
}

#[tauri::command]
pub async fn genome_browse(state: State<'_, AppState>) -> CmdResult<GenomeBrowse> {
    Ok(genome::browse(&state.pool().await?).await?)
}

#[tauri::command]
pub async fn genome_set_flags(
    state: State<'_, AppState>,
    fields: Vec<FieldRef>,
    edit: FlagEdit,
    reason: Option<String>,
) -> CmdResult<Vec<GenomeField>> {
    let pool = state.writable_pool().await?;
    Ok(genome::set_flags(&pool, &Actor::from_env(), &fields, &edit, reason.as_deref()).await?)
}

/// The differences between the schema and the genome; read-only, so it can be cancelled.
#[tauri::command]
pub async fn sync_plan<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<SyncPlan> {
    let pool = state.pool().await?;
    progress::emit(
        &app,
        "sync",
        "comparing the schema with the genome",
        None,
        false,
    );
    let result = state
        .cancellable("sync", async move {
            genome::sync(&pool, &Actor::from_env(), true).await
        })
        .await;
    progress::emit(&app, "sync", "finished", Some(1.0), true);
    Ok(result?)
}

/// Applies the reviewed differences; refused with `plan_changed` if the schema moved since.
#[tauri::command]
pub async fn sync_apply(state: State<'_, AppState>, fingerprint: String) -> CmdResult<SyncPlan> {
    let pool = state.writable_pool().await?;
    Ok(genome::sync_reviewed(&pool, &Actor::from_env(), &fingerprint).await?)
}
