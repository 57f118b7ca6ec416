//! Progress of long work, sent to the UI as "progress" events.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use ts_rs::TS;

pub const EVENT: &str = "progress";

#[derive(Debug, Clone, Serialize, TS)]
pub struct Progress {
    /// The task: "init", "sync", ...
    pub task: String,
    pub phase: String,
    /// 0..1, or None when unknown.
    pub fraction: Option<f64>,
    pub message: String,
    pub done: bool,
}

pub fn emit<R: Runtime>(
    app: &AppHandle<R>,
    task: &str,
    phase: &str,
    fraction: Option<f64>,
    done: bool,
) {
    let p = Progress {
        task: task.to_string(),
        phase: phase.to_string(),
        fraction,
        message: phase.to_string(),
        done,
    };
    // A window that closed meanwhile cannot be told; the work itself is unaffected.
    let _ = app.emit(EVENT, p);
}

/// Forwards an engine task's steps to the UI as events of `task`.
pub struct Emit<R: Runtime> {
    pub app: AppHandle<R>,
    pub task: &'static str,
}

impl<R: Runtime> indexpilot_engine::Progress for Emit<R> {
    fn step(&self, step: &str, fraction: f64) {
        emit(&self.app, self.task, step, Some(fraction), false);
    }
}
