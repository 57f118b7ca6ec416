//! IndexPilot's own transactions, with a tagged `BEGIN` and `COMMIT`.
//!
//! sqlx's `Pool::begin` and `Transaction::commit` send a bare `BEGIN` and `COMMIT`. On
//! PostgreSQL 13 to 15 pg_stat_statements keys a utility statement by its text, so those would
//! be counted with the application's own `BEGIN` and `COMMIT`. Every statement IndexPilot
//! sends carries its tag, these two included.

use super::access::Access;
use crate::error::Result;
use crate::workload::collect::OWN_TAG;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool, Postgres};
use sqlx::Executor;
use std::ops::{Deref, DerefMut};

/// How a transaction starts: `BEGIN <mode>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To write: refused in one line, before anything is written, on a hot standby or a
    /// read-only session (whose default is never overridden).
    Write,
    /// Reads only, whatever the session allows.
    ReadOnly,
}

/// An open transaction on a pooled connection. Commit it explicitly; dropped without a
/// commit (an error on the way), its connection is closed rather than returned to the pool,
/// and the server rolls the transaction back as the session ends.
pub struct Transaction {
    conn: Option<PoolConnection<Postgres>>,
}

/// Starts a transaction on a connection of `pool`.
pub async fn begin(pool: &PgPool, mode: Mode) -> Result<Transaction> {
    let mut conn = pool.acquire().await?;
    if mode == Mode::Write {
        Access::of(&mut conn).await?.require_writable()?;
    }
    let sql = match mode {
        Mode::Write => "BEGIN /* indexpilot */",
        Mode::ReadOnly => "BEGIN READ ONLY /* indexpilot */",
    };
    if let Err(e) = run(&mut conn, sql).await {
        conn.close_on_drop();
        return Err(e.into());
    }
    Ok(Transaction { conn: Some(conn) })
}

impl Transaction {
    pub async fn commit(self) -> Result<()> {
        self.finish("COMMIT /* indexpilot */").await
    }

    pub async fn rollback(self) -> Result<()> {
        self.finish("ROLLBACK /* indexpilot */").await
    }

    async fn finish(mut self, sql: &'static str) -> Result<()> {
        let mut conn = self.conn.take().expect("a transaction is finished once");
        if let Err(e) = run(&mut conn, sql).await {
            conn.close_on_drop();
            return Err(e.into());
        }
        Ok(())
    }
}

/// Each statement carries the tag by hand (`OWN_TAG`). `Executor::execute` on the connection
/// returns a boxed future: sqlx's generic query builders would make callers' futures not
/// provably `Send` inside spawned tasks.
async fn run(conn: &mut PgConnection, sql: &'static str) -> sqlx::Result<()> {
    debug_assert!(sql.ends_with(OWN_TAG));
    conn.execute(sql).await.map(drop)
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            conn.close_on_drop();
        }
    }
}

impl Deref for Transaction {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        self.conn
            .as_ref()
            .expect("an open transaction has its connection")
    }
}

impl DerefMut for Transaction {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn
            .as_mut()
            .expect("an open transaction has its connection")
    }
}
