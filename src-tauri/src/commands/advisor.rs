//! The advisor: a run over the whole workload with progress, and the proposals the mutation
//! log holds open.

use super::{on_own_thread, CmdResult};
use crate::progress;
use crate::state::AppState;
use indexpilot_engine::advisor::{self, Advice, AdviseOptions, StoredProposal};
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::{migrate, Actor};
use tauri::{AppHandle, Runtime, State};

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
