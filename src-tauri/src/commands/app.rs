//! What the shell shows about itself.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub engine_version: String,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "IndexPilot".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        engine_version: indexpilot_engine::VERSION.to_string(),
    }
}
