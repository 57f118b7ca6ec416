//! The Overview view: what needs attention on the open database, and on every saved one.

use super::CmdResult;
use crate::state::AppState;
use indexpilot_engine::overview::fleet::{self, DatabaseOverview};
use indexpilot_engine::overview::{self, Overview};
use serde::Serialize;
use std::time::Duration;
use tauri::State;
use ts_rs::TS;

/// Seconds each saved database has to answer in the overview of all of them.
const ALL_TIMEOUT_S: u64 = 10;

/// The open database's overview: read only (it records nothing and reconciles nothing),
/// so a read-only connection or a hot standby gets it too.
#[tauri::command]
pub async fn overview_get(state: State<'_, AppState>) -> CmdResult<Overview> {
    let pool = state.pool().await?;
    Ok(overview::of(&pool).await?)
}

/// One saved connection's line in the overview of all of them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionOverview {
    pub id: String,
    pub label: String,
    pub colour: String,
    pub read_only: bool,
    pub read: DatabaseOverview,
}

/// Every saved connection's overview, read at once in read-only sessions, each within its
/// time limit: an unreachable database, or one whose password the keyring cannot give,
/// shows its state without holding up the others. Most needing attention first.
#[tauri::command]
pub async fn overview_all(state: State<'_, AppState>) -> CmdResult<Vec<ConnectionOverview>> {
    let saved = state.store.connections(state.secrets.as_ref()).await?;
    let mut targets = Vec::new();
    let mut unread = Vec::new();
    for s in saved {
        let session = state.session_password(&s.id);
        match state
            .store
            .connect_options(state.secrets.as_ref(), &s.id, session)
            .await
        {
            Ok((_, opts)) => targets.push((s, opts)),
            Err(e) => {
                let row = fleet::not_tried(s.target.describe(), &e);
                unread.push((s, row));
            }
        }
    }
    let read = fleet::of_all(targets, Duration::from_secs(ALL_TIMEOUT_S)).await;
    Ok(unread
        .into_iter()
        .chain(read)
        .map(|(s, read)| ConnectionOverview {
            id: s.id,
            label: s.label,
            colour: s.colour,
            read_only: s.read_only,
            read,
        })
        .collect())
}
