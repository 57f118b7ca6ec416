//! One file per domain; each command takes managed state and plain arguments, calls one
//! engine function and converts the error.

pub mod advisor;
pub mod app;
pub mod changes;
pub mod connections;
pub mod genome;
pub mod overview;
pub mod tenants;
pub mod types;
pub mod workload;

use crate::IpcError;
use indexpilot_engine::Error;

pub type CmdResult<T> = Result<T, IpcError>;

/// Runs engine work whose future is Send, but not provably so for every lifetime (a compiler
/// limit with sqlx's executors), on a blocking thread of its own driven by this runtime.
pub(crate) async fn on_own_thread<T, F, Fut>(what: &str, work: F) -> indexpilot_engine::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = indexpilot_engine::Result<T>>,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(work()))
        .await
        .map_err(|e| Error::Client(format!("{what} stopped: {e}")))?
}
