//! Saved connections: list, save, duplicate, delete, test, open, close.

use super::CmdResult;
use crate::state::{ActiveConnection, AppState, Open};
use indexpilot_engine::local::{ConnectionInput, SavedConnection};
use indexpilot_engine::probe::{self, ConnectionReport};
use indexpilot_engine::{connect, Result, Secret};
use tauri::State;

/// The options for `id`, with the password typed for this session when there is one (this
/// call's, else one that connected earlier in this run of the app), else the saved one.
async fn options_for(
    state: &AppState,
    id: &str,
    typed: Option<&Secret>,
) -> Result<(SavedConnection, indexpilot_engine::ConnectOptions)> {
    let session = typed.cloned().or_else(|| state.session_password(id));
    state
        .store
        .connect_options(state.secrets.as_ref(), id, session)
        .await
}

/// A password typed in the app for this session only: used, never stored on disk.
fn typed(password: Option<String>) -> Option<Secret> {
    password.filter(|p| !p.is_empty()).map(Secret::new)
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
        open(&state, &saved.id, None).await?;
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
    password: Option<String>,
) -> CmdResult<ConnectionReport> {
    let (_, opts) = options_for(&state, &id, typed(password).as_ref()).await?;
    Ok(probe::test_connection(&opts).await?)
}

#[tauri::command]
pub async fn connection_open(
    state: State<'_, AppState>,
    id: String,
    password: Option<String>,
) -> CmdResult<ActiveConnection> {
    Ok(open(&state, &id, typed(password)).await?)
}

async fn open(state: &AppState, id: &str, typed: Option<Secret>) -> Result<ActiveConnection> {
    let (saved, opts) = options_for(state, id, typed.as_ref()).await?;
    let pool = connect(&opts).await?;
    if let Some(password) = typed {
        state.remember_session_password(id, password);
    }
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
