//! What an action on a change will run, for the person who confirms it: the statements in
//! order, exactly as they will run, and what their text does not say. A partitioned table's
//! index is not the one statement its proposal shows (PostgreSQL cannot build or drop one
//! concurrently), so its steps and its lock are spelled out before anything runs.

use super::apply::{rollback_plan, DROP_ATTEMPTS};
use super::model::ChangeState;
use super::plan::{self, Plan};
use super::policy::ApplyPolicy;
use super::{log, partitions};
use crate::error::Result;
use crate::ident::quote_qualified;
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ChangePreview {
    /// The statements, in order, as they will run.
    pub sql: String,
    /// What they do that the text does not say (steps, locks, retries), when anything.
    pub note: Option<String>,
}

/// What applying (or re-applying) change `id` runs now. Reads only.
pub async fn apply(pool: &PgPool, policy: &ApplyPolicy, id: i64) -> Result<ChangePreview> {
    let change = log::load_pool(pool, id).await?;
    let plan = plan::for_apply(pool, &change, policy).await?;
    let note = match &plan.partitioned {
        Some(_) if plan.builds => {
            let parts = plan.sql.matches(" ATTACH PARTITION ").count();
            let resumes = change.state == ChangeState::Failed;
            Some(format!(
                "PostgreSQL cannot build an index on a partitioned table concurrently. So the table's index is created ON ONLY (invalid, and no lock held beyond a moment), then each of its {parts} partitions is built CONCURRENTLY and attached; the index becomes valid when the last one is attached. Writers are never blocked. A failure or cancel keeps the partitions built so far{}. Partitions created later get the index from PostgreSQL itself.",
                if resumes { ", and this run resumes after them" } else { ": applying again resumes" }
            ))
        }
        _ => None,
    };
    Ok(ChangePreview {
        sql: plan.sql,
        note,
    })
}

/// What rolling back change `id` runs now. Reads only.
pub async fn rollback(pool: &PgPool, policy: &ApplyPolicy, id: i64) -> Result<ChangePreview> {
    let change = log::load_pool(pool, id).await?;
    let plan: Plan = rollback_plan(pool, &change).await?;
    let note = if plan.partitioned.is_some() && !plan.builds {
        let parts = partitions::tree(pool, &change.schema, &change.table, &change.index_name)
            .await?
            .len();
        Some(format!(
            "PostgreSQL cannot drop a partitioned table's index concurrently: this one statement takes a short ACCESS EXCLUSIVE lock on {} and its {parts} partitions. It waits at most {} ms for that lock (lock_timeout) so that writers do not queue behind it, and is tried up to {DROP_ATTEMPTS} times.",
            quote_qualified(&change.schema, &change.table),
            policy.lock_timeout_ms
        ))
    } else {
        None
    };
    Ok(ChangePreview {
        sql: plan.sql,
        note,
    })
}
