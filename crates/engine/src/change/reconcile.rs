//! After a crash or a lost connection, a change can be left `applying` or `rolling_back`
//! with no build running. The next start settles each against the catalog: a finished build
//! becomes applied, an INVALID leftover is dropped and the change failed. A build whose
//! backend still runs is left alone.

use super::apply;
use super::experiment;
use super::log;
use super::model::{Change, ChangeKind, ChangeState};
use super::plan::{self, Plan};
use super::policy::ApplyPolicy;
use super::versions::{self, IndexState};
use crate::error::Result;
use crate::mutations::Actor;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize)]
pub struct Reconciled {
    pub id: i64,
    pub from: ChangeState,
    pub to: ChangeState,
    pub note: String,
}

pub async fn reconcile(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
) -> Result<Vec<Reconciled>> {
    let mut out = Vec::new();
    for change in log::in_states(pool, &[ChangeState::Applying, ChangeState::RollingBack]).await? {
        if still_running(pool, &change).await? {
            continue;
        }
        if let Some(r) = settle(pool, actor, policy, &change).await? {
            out.push(r);
        }
    }
    // A failed build whose cleanup could not drop its INVALID index (a long transaction held
    // it up): try again.
    for change in log::in_states(pool, &[ChangeState::Failed]).await? {
        if change.kind != ChangeKind::Create
            || versions::index_state(pool, &change.schema, &change.index_name).await?
                != IndexState::Invalid
            || !is_ours(pool, &change).await
            || resumable(pool, &change).await?
        {
            continue;
        }
        let note = drop_leftover(pool, policy, &change).await;
        let mut conn = pool.acquire().await?;
        log::append(
            &mut conn,
            actor,
            &change,
            None,
            &json!({"reconciled": true, "cleanup": note}),
            change.kind.log_kind(),
        )
        .await?;
        out.push(Reconciled {
            id: change.id,
            from: ChangeState::Failed,
            to: ChangeState::Failed,
            note,
        });
    }
    // A crash between a build's end and the start of its validation: start it now, from
    // when the build started.
    for change in log::in_states(pool, &[ChangeState::Applied]).await? {
        let started: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
            "SELECT /* indexpilot */ max(m.occurred_at) FROM indexpilot.mutation_log m
             WHERE (m.id = $1 OR m.parent_id = $1) AND m.status = 'applying'
               AND NOT EXISTS (SELECT 1 FROM indexpilot.ab_experiments e WHERE e.mutation_id = $1)",
        )
        .bind(change.id)
        .fetch_one(pool)
        .await?;
        let Some(started_at) = started else {
            continue;
        };
        experiment::start(pool, &change, started_at, policy).await?;
        out.push(Reconciled {
            id: change.id,
            from: ChangeState::Applied,
            to: ChangeState::Applied,
            note: "its validation had not started: started now".into(),
        });
    }
    Ok(out)
}

/// The build's backend is alive and still ours.
async fn still_running(pool: &PgPool, change: &Change) -> Result<bool> {
    let Some(pid) = change.last["pid"].as_i64() else {
        return Ok(false);
    };
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_stat_activity
                        WHERE pid = $1 AND application_name = $2)",
    )
    .bind(i32::try_from(pid).unwrap_or(0))
    .bind(format!("indexpilot build {}", change.id))
    .fetch_one(pool)
    .await?)
}

async fn settle(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
    change: &Change,
) -> Result<Option<Reconciled>> {
    let state = versions::index_state(pool, &change.schema, &change.index_name).await?;
    // Does the statement that was running build an index (else it drops one)?
    let builds = matches!(
        (change.kind, change.state),
        (ChangeKind::Create, ChangeState::Applying) | (ChangeKind::Drop, ChangeState::RollingBack)
    );
    let mut note = String::new();
    if state == IndexState::Invalid && builds && resumable(pool, change).await? {
        note = "the partitions built so far are kept: apply it again to resume".into();
    } else if state == IndexState::Invalid {
        // A CONCURRENTLY statement interrupted half-way: finish the drop, or remove the
        // half-built index. Either way the index is gone.
        note = drop_leftover(pool, policy, change).await;
    }
    let gone = state != IndexState::Valid;
    let to = match (builds, change.state, gone) {
        (true, ChangeState::Applying, false) => ChangeState::Applied,
        (true, ChangeState::Applying, true) => ChangeState::Failed,
        (true, _, false) => ChangeState::RolledBack,
        (true, _, true) => ChangeState::Applied,
        (false, ChangeState::Applying, true) => ChangeState::Applied,
        (false, ChangeState::Applying, false) => ChangeState::Failed,
        (false, _, true) => ChangeState::RolledBack,
        (false, _, false) => ChangeState::Applied,
    };
    if builds && !gone {
        versions::record(pool, &change.schema, &change.index_name, change.id).await?;
    } else if !builds && gone {
        versions::close(pool, &change.schema, &change.index_name).await?;
    }
    if note.is_empty() {
        note = match (builds, gone) {
            (true, false) => "the build had finished".into(),
            (true, true) => "the build was interrupted before it finished".into(),
            (false, true) => "the drop had finished".into(),
            (false, false) => "the drop was interrupted; the index is still there".into(),
        };
    }
    let details = json!({"reconciled": true, "note": note,
                         "message": format!("interrupted ({note}): found after a restart")});
    log::transition(pool, actor, change.id, to, details).await?;
    Ok(Some(Reconciled {
        id: change.id,
        from: change.state,
        to,
        note,
    }))
}

/// A partitioned table's index, built partition by partition: an invalid one holds the
/// partitions built so far, which applying again keeps (see `partitions`).
async fn resumable(pool: &PgPool, change: &Change) -> Result<bool> {
    Ok(change.kind == ChangeKind::Create
        && super::partitions::is_partitioned(pool, &change.schema, &change.table).await?)
}

/// Whether the index at the change's name is the one the change builds (its definition, or
/// for a drop's rollback the kept one): an INVALID index someone else made under the name
/// is never dropped.
async fn is_ours(pool: &PgPool, change: &Change) -> bool {
    match change.kind {
        ChangeKind::Create => match serde_json::from_value(change.proposal["definition"].clone()) {
            Ok(def) => plan::is_built_from(pool, &change.schema, &change.index_name, &def)
                .await
                .unwrap_or(false),
            Err(_) => false,
        },
        ChangeKind::Drop => {
            let kept = versions::last_definition(pool, &change.schema, &change.index_name);
            let live = versions::live_definition(pool, &change.schema, &change.index_name);
            matches!((kept.await, live.await), (Ok(Some(k)), Ok(Some(l))) if k == l)
        }
    }
}

async fn drop_leftover(pool: &PgPool, policy: &ApplyPolicy, change: &Change) -> String {
    let plan = Plan::drop(&change.schema, &change.index_name);
    if !is_ours(pool, change).await {
        return format!(
            "the invalid index {} is not the one this change builds: left in place",
            plan.qualified()
        );
    }
    // At start-up, one try: a busy slot means a build runs, and the next start retries.
    apply::drop_leftover(pool, policy, change.id, &plan, 1).await
}
