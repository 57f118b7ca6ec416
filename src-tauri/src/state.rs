//! What the app holds between commands: the local store, the secret store, the open
//! connection and the cancellable tasks in flight.

use indexpilot_engine::local::{LocalStore, SavedConnection, SecretStore};
use indexpilot_engine::{Error, Result, Secret};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;
use ts_rs::TS;

/// The connection the views work on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActiveConnection {
    pub id: String,
    pub label: String,
    pub colour: String,
    pub read_only: bool,
    /// user@host:port/db, never a password.
    pub target: String,
    pub database: String,
}

pub struct Open {
    pub info: ActiveConnection,
    pub pool: PgPool,
}

pub struct AppState {
    pub store: LocalStore,
    pub secrets: Arc<dyn SecretStore>,
    pub active: RwLock<Option<Open>>,
    tasks: Mutex<HashMap<String, tokio::task::AbortHandle>>,
    /// Work that must stop cleanly rather than be aborted (an index build: aborting would
    /// drop its connection and leave an INVALID index); cancelling sets the flag.
    flags: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// The background collector of the open connection, when one runs.
    pub collector: tokio::sync::Mutex<Option<RunningCollector>>,
    /// Passwords typed for this run of the app because the keyring could not give the saved
    /// one (by connection id): in memory only, forgotten when the app quits.
    session_passwords: Mutex<HashMap<String, Secret>>,
}

/// A background collector and what it last reported.
pub struct RunningCollector {
    pub collector: indexpilot_engine::workload::collect::Collector,
    pub interval_s: u64,
    pub last: Arc<Mutex<CollectorLast>>,
}

/// The outcome of the collector's latest round.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct CollectorLast {
    #[ts(type = "string | null")]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    pub statements: Option<usize>,
    pub error: Option<String>,
}

impl AppState {
    pub fn new(store: LocalStore, secrets: Arc<dyn SecretStore>) -> Self {
        AppState {
            store,
            secrets,
            active: RwLock::new(None),
            tasks: Mutex::new(HashMap::new()),
            flags: Mutex::new(HashMap::new()),
            collector: tokio::sync::Mutex::new(None),
            session_passwords: Mutex::new(HashMap::new()),
        }
    }

    fn session_passwords(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.session_passwords
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The password typed for `id` in this run of the app, if one was and it connected.
    pub fn session_password(&self, id: &str) -> Option<Secret> {
        self.session_passwords().get(id).cloned()
    }

    /// Keeps a typed password that connected, for reopening in this run of the app.
    pub fn remember_session_password(&self, id: &str, password: Secret) {
        self.session_passwords().insert(id.to_string(), password);
    }

    /// The open connection's pool, for reading.
    pub async fn pool(&self) -> Result<PgPool> {
        self.active
            .read()
            .await
            .as_ref()
            .map(|o| o.pool.clone())
            .ok_or(Error::NoConnection)
    }

    /// The open connection's pool, for changing something: refused on read-only connections.
    pub async fn writable_pool(&self) -> Result<PgPool> {
        let guard = self.active.read().await;
        let open = guard.as_ref().ok_or(Error::NoConnection)?;
        if open.info.read_only {
            return Err(Error::ReadOnly(open.info.label.clone()));
        }
        Ok(open.pool.clone())
    }

    /// Replaces the open connection, closing the previous pool (and stopping its collector).
    pub async fn set_active(&self, open: Option<Open>) {
        if let Some(running) = self.collector.lock().await.take() {
            running.collector.stop().await;
        }
        let previous = std::mem::replace(&mut *self.active.write().await, open);
        if let Some(p) = previous {
            p.pool.close().await;
        }
    }

    /// Keeps the open connection's label, colour and read-only flag in step with an edit.
    pub async fn refresh_active(&self, saved: &SavedConnection) {
        if let Some(open) = self.active.write().await.as_mut() {
            if open.info.id == saved.id {
                open.info.label = saved.label.clone();
                open.info.colour = saved.colour.clone();
                open.info.read_only = saved.read_only;
            }
        }
    }

    fn tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, tokio::task::AbortHandle>> {
        self.tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `work` as the cancellable task `name`. Only read-only work is registered here:
    /// aborting it loses nothing.
    pub async fn cancellable<T: Send + 'static>(
        &self,
        name: &str,
        work: impl std::future::Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        let handle = tokio::spawn(work);
        self.tasks().insert(name.to_string(), handle.abort_handle());
        let result = handle.await;
        self.tasks().remove(name);
        match result {
            Ok(r) => r,
            Err(e) if e.is_cancelled() => Err(Error::Cancelled),
            Err(e) => Err(Error::Client(format!("background task failed: {e}"))),
        }
    }

    fn flags(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.flags
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A cancel flag for the task `name`, until [`AppState::finish_flag`].
    pub fn cancel_flag(&self, name: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.flags().insert(name.to_string(), Arc::clone(&flag));
        flag
    }

    pub fn finish_flag(&self, name: &str) {
        self.flags().remove(name);
    }

    pub fn cancel(&self, name: &str) -> bool {
        if let Some(flag) = self.flags().get(name) {
            flag.store(true, Ordering::SeqCst);
            return true;
        }
        match self.tasks().remove(name) {
            Some(h) => {
                h.abort();
                true
            }
            None => false,
        }
    }
}
