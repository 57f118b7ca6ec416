//! Whether a session may write. A hot standby (`pg_is_in_recovery()`) never may; a session
//! whose transactions are read-only by default (a read-only connection opens its sessions
//! with `default_transaction_read_only`, a DBA may set it on a role or database) is treated
//! as read-only too, although PostgreSQL would let a session override that default: the
//! engine never does.

use crate::error::{Error, Result};
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub standby: bool,
    pub read_only_default: bool,
}

impl Access {
    /// Asked of the session that will do the work (a pooled session's settings are its own).
    pub async fn of(conn: &mut PgConnection) -> Result<Access> {
        let (standby, read_only_default): (bool, bool) = sqlx::query_as(
            "SELECT /* indexpilot */ pg_is_in_recovery(),
                    current_setting('default_transaction_read_only')::bool",
        )
        .fetch_one(conn)
        .await?;
        Ok(Access {
            standby,
            read_only_default,
        })
    }

    pub fn writable(self) -> bool {
        !self.standby && !self.read_only_default
    }

    /// One line saying why nothing can be written, before anything is.
    pub fn require_writable(self) -> Result<()> {
        if self.standby {
            Err(Error::NotWritable(
                "this server is a hot standby (pg_is_in_recovery() is true)",
            ))
        } else if self.read_only_default {
            Err(Error::NotWritable(
                "this session is read-only (default_transaction_read_only is on for the connection, role or database)",
            ))
        } else {
            Ok(())
        }
    }
}

/// The access of a session of `pool`.
pub async fn of_pool(pool: &sqlx::PgPool) -> Result<Access> {
    let mut conn = pool.acquire().await?;
    Access::of(&mut conn).await
}
