//! Connecting to the DBA's database the way libpq does, as a polite guest: every session is
//! named `indexpilot` and carries statement, lock and idle-transaction timeouts.

mod classify;
mod conninfo;
mod options;

pub use options::{ConnectOptions, SslMode, Target};

use crate::error::{Error, Result};
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;
use std::time::Duration;

/// Opens a pool for `opts`. A single probe connection is made first so that a wrong host,
/// password or database name is reported precisely instead of as a pool time-out.
pub async fn connect(opts: &ConnectOptions) -> Result<PgPool> {
    let pg = opts.pg_options();
    let target = opts.target();
    let timeout = opts.connect_timeout();
    match tokio::time::timeout(timeout, PgConnection::connect_with(&pg)).await {
        Err(_) => {
            return Err(Error::ConnectTimeout {
                target: target.to_string(),
                seconds: timeout.as_secs(),
            })
        }
        Ok(Err(err)) => return Err(classify::connect_error(err, &target)),
        Ok(Ok(conn)) => {
            // The probe's only job was to prove the settings work; errors closing it do not matter.
            let _ = conn.close().await;
        }
    }
    Ok(PgPoolOptions::new()
        .max_connections(opts.max_connections())
        .min_connections(0)
        .acquire_timeout(timeout)
        .idle_timeout(Some(Duration::from_secs(60)))
        .connect_lazy_with(pg))
}
