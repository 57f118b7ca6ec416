//! Connecting to the DBA's database the way libpq does, as a polite guest: every session is
//! named `indexpilot` and carries statement, lock and idle-transaction timeouts.

pub mod access;
mod classify;
mod conninfo;
mod options;
pub mod transaction;

pub(crate) use options::{keep_query_pairs, names_a_password};
pub use options::{ConnectOptions, SslMode, Target};

use crate::error::{Error, Result};
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;
use std::time::Duration;

/// The oldest PostgreSQL IndexPilot runs against (`server_version_num`).
pub const MIN_SERVER_VERSION: u32 = 130_000;

/// An older server gets one line naming the supported versions, not the first catalog
/// query's error.
fn supported(version: Option<u32>, target: &str) -> Result<()> {
    match version {
        Some(v) if v < MIN_SERVER_VERSION => Err(Error::UnsupportedServer {
            target: target.to_string(),
            version: if v >= 100_000 {
                (v / 10_000).to_string()
            } else {
                format!("{}.{}", v / 10_000, v / 100 % 100)
            },
        }),
        _ => Ok(()),
    }
}

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
            // The server says its version when the session starts.
            let version = conn.server_version_num();
            // The probe's only job was to prove the settings work; errors closing it do not matter.
            let _ = conn.close().await;
            supported(version, &target.to_string())?;
        }
    }
    Ok(PgPoolOptions::new()
        .max_connections(opts.max_connections())
        .min_connections(0)
        .acquire_timeout(timeout)
        .idle_timeout(Some(Duration::from_secs(60)))
        .connect_lazy_with(pg))
}

#[cfg(test)]
mod tests {
    use super::supported;

    #[test]
    fn servers_before_13_are_named_and_refused() {
        for (v, shown) in [(120_017, "12"), (90_624, "9.6")] {
            let e = supported(Some(v), "db:5432/app").unwrap_err();
            assert_eq!(e.code(), "unsupported_server");
            assert!(
                e.to_string().contains(&format!("PostgreSQL {shown},")),
                "{e}"
            );
        }
        for ok in [Some(130_000), Some(180_001), None] {
            assert!(supported(ok, "db").is_ok());
        }
    }
}
