//! The desktop shell: window, managed state and thin commands that each call one engine
//! function. Domain logic lives in `indexpilot-engine`.

mod commands;
mod ipc_error;

pub use ipc_error::IpcError;

/// Registers the app's commands on a builder; tests pass Tauri's mock builder.
pub fn app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![commands::app::app_info])
}

/// The app's configuration, capabilities and (in release builds) embedded UI.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

pub fn run() -> Result<(), tauri::Error> {
    app(tauri::Builder::default()).run(context())
}
