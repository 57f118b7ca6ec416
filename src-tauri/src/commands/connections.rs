//! Saved connections: list, save, duplicate, delete, test, open, close.

use super::CmdResult;
use crate::state::{ActiveConnection, AppState, Open};
use indexpilot_engine::local::{ConnectionInput, SavedConnection};
use indexpilot_engine::probe::{self, ConnectionReport};
use indexpilot_engine::{connect, Result};
use tauri::State;

async fn options_for(
    state: &AppState,
    id: &str,
) -> Result<(SavedConnection, indexpilot_engine::ConnectOptions)> {
    let saved = state.store.connection(state.secrets.as_ref(), id).await?;
    let secret = state.secrets.get(id)?;
    // A read-only connection's sessions are read-only on the server too: the engine's own
    // checks are not the only guard.
    let opts = saved
        .target
        .options(secret.as_ref())?
        .with_read_only(saved.read_only);
    Ok((saved, opts))
}

#[tauri::command]
pub async fn connections_list(state: State<'_, AppState>) -> CmdResult<Vec<SavedConnection>> {
    Ok(state.store.connections(state.secrets.as_ref()).await?)
}

#[tauri::command]
pub async fn connection_save(
    state: State<'_, AppState>,
    input: ConnectionInput,
) -> CmdResult<SavedConnection> {
    let saved = state
        .store
        .save_connection(state.secrets.as_ref(), input)
        .await?;
    tracing::info!(id = %saved.id, target = %saved.target.describe(), has_password = saved.has_password, "connection saved");
    let read_only_changed = state
        .active
        .read()
        .await
        .as_ref()
        .is_some_and(|o| o.info.id == saved.id && o.info.read_only != saved.read_only);
    if read_only_changed {
        // Its sessions were opened with the old flag (default_transaction_read_only).
        open(&state, &saved.id).await?;
    } else {
        state.refresh_active(&saved).await;
    }
    Ok(saved)
}

#[tauri::command]
pub async fn connection_duplicate(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<SavedConnection> {
    Ok(state
        .store
        .duplicate_connection(state.secrets.as_ref(), &id)
        .await?)
}

#[tauri::command]
pub async fn connection_delete(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    let is_active = state
        .active
        .read()
        .await
        .as_ref()
        .is_some_and(|o| o.info.id == id);
    if is_active {
        state.set_active(None).await;
    }
    Ok(state
        .store
        .delete_connection(state.secrets.as_ref(), &id)
        .await?)
}

#[tauri::command]
pub async fn connection_test(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<ConnectionReport> {
    let (_, opts) = options_for(&state, &id).await?;
    Ok(probe::test_connection(&opts).await?)
}

#[tauri::command]
pub async fn connection_open(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<ActiveConnection> {
    Ok(open(&state, &id).await?)
}

async fn open(state: &AppState, id: &str) -> Result<ActiveConnection> {
    let (saved, opts) = options_for(state, id).await?;
    let pool = connect(&opts).await?;
    let target = opts.target();
    let info = ActiveConnection {
        id: saved.id,
        label: saved.label,
        colour: saved.colour,
        read_only: saved.read_only,
        target: target.to_string(),
        database: target.database,
    };
    tracing::info!(id = %info.id, target = %info.target, read_only = info.read_only, "connection opened");
    state
        .set_active(Some(Open {
            info: info.clone(),
            pool,
        }))
        .await;
    Ok(info)
}

#[tauri::command]
pub async fn connection_close(state: State<'_, AppState>) -> CmdResult<()> {
    state.set_active(None).await;
    Ok(())
}

#[tauri::command]
pub async fn active_connection(state: State<'_, AppState>) -> CmdResult<Option<ActiveConnection>> {
    Ok(state.active.read().await.as_ref().map(|o| o.info.clone()))
}
