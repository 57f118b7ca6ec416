//! Every database a DBA looks after, at once: one overview per connection, all read
//! concurrently, each under its own time limit, so that an unreachable server or one
//! that is slow to answer shows its state without holding up the others. The rows come
//! back ordered by what needs attention: databases that could not be read first, then
//! the ones with most to do.
//!
//! The connections are read-only sessions: the overview never writes, and the engine
//! enforces it rather than trusting the caller.

use super::{of, Overview};
use crate::connect::{connect, ConnectOptions};
use crate::error::Error;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// One database of the list: where it is (never with a password), whether it could be read,
/// and its overview when it could.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DatabaseOverview {
    /// `user@host:port/database`.
    pub target: String,
    pub state: ReadState,
    /// Why it could not be read: one line, as the CLI prints for a single database.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
    /// How many things wait for someone (see [`Overview::attention`]); 0 when unread.
    pub attention: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub overview: Option<Overview>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadState {
    Read,
    /// No answer within the time limit (the connection or the reads).
    TimedOut,
    /// Refused, unknown host, bad password, unsupported server, or a read that failed.
    Failed,
}

impl ReadState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadState::Read => "read",
            ReadState::TimedOut => "timed out",
            ReadState::Failed => "failed",
        }
    }
}

/// Reads every database's overview concurrently, each within `limit` (connecting
/// included). Each comes back with the caller's key for it (a saved connection's id, a
/// position in a list), in attention order.
pub async fn of_all<K: Send + 'static>(
    targets: Vec<(K, ConnectOptions)>,
    limit: Duration,
) -> Vec<(K, DatabaseOverview)> {
    let mut reads = tokio::task::JoinSet::new();
    for (i, (key, opts)) in targets.into_iter().enumerate() {
        reads.spawn(async move { (i, key, read_one(opts, limit).await) });
    }
    let mut rows = Vec::new();
    while let Some(done) = reads.join_next().await {
        // A read cannot panic short of a bug; its row is then simply missing.
        if let Ok(row) = done {
            rows.push(row);
        }
    }
    // Unread first (it is the first thing to look at), then most to do; among equals, the
    // order of the list.
    rows.sort_by_key(|(i, _, r)| (r.state == ReadState::Read, -r.attention, *i));
    rows.into_iter().map(|(_, k, r)| (k, r)).collect()
}

/// A database that could not even be tried (its password could not be read): a row that
/// says so, in the same shape.
pub fn not_tried(target: String, error: &Error) -> DatabaseOverview {
    DatabaseOverview {
        target,
        state: ReadState::Failed,
        error: Some(error.to_string()),
        attention: 0,
        overview: None,
    }
}

async fn read_one(opts: ConnectOptions, limit: Duration) -> DatabaseOverview {
    let opts = opts.with_read_only(true).with_connect_timeout(limit);
    let target = opts.target().to_string();
    let read = async {
        let pool = connect(&opts).await?;
        let overview = of(&pool).await;
        pool.close().await;
        overview
    };
    match tokio::time::timeout(limit, read).await {
        Ok(Ok(o)) => DatabaseOverview {
            target,
            state: ReadState::Read,
            error: None,
            attention: o.attention(),
            overview: Some(o),
        },
        Ok(Err(Error::ConnectTimeout { .. })) | Err(_) => DatabaseOverview {
            error: Some(format!(
                "no answer from {target} within {} s: check that the server is up and reachable",
                limit.as_secs()
            )),
            target,
            state: ReadState::TimedOut,
            attention: 0,
            overview: None,
        },
        Ok(Err(e)) => DatabaseOverview {
            target,
            state: ReadState::Failed,
            error: Some(e.to_string()),
            attention: 0,
            overview: None,
        },
    }
}
