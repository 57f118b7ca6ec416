//! Row types for host applications: the tables to pick from, a preview, and saving to a
//! file the person chooses in the system's save dialog.

use super::CmdResult;
use crate::state::AppState;
use crate::IpcError;
use indexpilot_engine::typegen::{self, GeneratedTypes, TableChoice, TypesRequest};
use indexpilot_engine::Error;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Every table, view and materialized view types can be generated for; IndexPilot's own
/// metadata tables only when asked.
#[tauri::command]
pub async fn types_tables(
    state: State<'_, AppState>,
    include_metadata: bool,
) -> CmdResult<Vec<TableChoice>> {
    let pool = state.pool().await?;
    let mut tables = typegen::choices(&pool, &[]).await?;
    if include_metadata {
        tables.extend(typegen::choices(&pool, &["indexpilot".to_string()]).await?);
    }
    Ok(tables)
}

/// The file as it would be saved, for the preview.
#[tauri::command]
pub async fn types_generate(
    state: State<'_, AppState>,
    request: TypesRequest,
) -> CmdResult<GeneratedTypes> {
    let pool = state.pool().await?;
    Ok(typegen::generate(&pool, &request).await?)
}

/// Generates and writes the file. Without `path`, asks where in the system's save dialog;
/// returns the path written, or `None` when the person cancelled the dialog.
#[tauri::command]
pub async fn types_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: TypesRequest,
) -> CmdResult<Option<String>> {
    let pool = state.pool().await?;
    let generated = typegen::generate(&pool, &request).await?;
    // Only where the person chose in the system's dialog: the web view never names a path
    // of its own to write to.
    let Some(path) = ask_where(&app, &generated).await? else {
        return Ok(None);
    };
    let written = path.clone();
    let text = generated.text;
    tokio::task::spawn_blocking(move || typegen::write_file(&path, &text))
        .await
        .map_err(|e| IpcError::from(Error::Local(format!("saving was interrupted: {e}"))))??;
    Ok(Some(written.display().to_string()))
}

async fn ask_where<R: Runtime>(
    app: &AppHandle<R>,
    generated: &GeneratedTypes,
) -> CmdResult<Option<PathBuf>> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Save row types")
        .set_file_name(&generated.suggested_file_name)
        .add_filter(generated.lang.name(), &[generated.lang.extension()]);
    // The dialog runs on the UI thread; this task waits for the answer off it.
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |choice| {
        let _ = tx.send(choice);
    });
    let choice = rx
        .await
        .map_err(|_| IpcError::from(Error::Local("the save dialog closed unexpectedly".into())))?;
    match choice {
        None => Ok(None),
        Some(file) => file.into_path().map(Some).map_err(|e| {
            IpcError::from(Error::InvalidInput(format!(
                "the chosen location is not a local file ({e}): pick a folder on this computer"
            )))
        }),
    }
}
