//! Approve, reject, apply, roll back and re-apply a change. Each step is a transition in the
//! log; builds run through [`super::build`]. A failed or cancelled build leaves no INVALID
//! index behind. Nothing is dropped that IndexPilot did not create, unless a person approved
//! that exact drop.

use super::build::{self, Session};
use super::experiment;
use super::log;
use super::model::{Change, ChangeKind, ChangeState};
use super::partitions;
use super::plan::{self, Plan};
use super::policy::ApplyPolicy;
use super::versions;
use crate::error::{Error, Result};
use crate::mutations::Actor;
use crate::Progress;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Approves a proposal; for a drop, this is the approval of that exact drop.
pub async fn approve(pool: &PgPool, actor: &Actor, id: i64, note: Option<&str>) -> Result<Change> {
    decide(
        pool,
        actor,
        id,
        ChangeState::Approved,
        json!({"note": note}),
    )
    .await
}

/// Rejects a proposal (or a failed change), with the reason.
pub async fn reject(pool: &PgPool, actor: &Actor, id: i64, reason: &str) -> Result<Change> {
    decide(
        pool,
        actor,
        id,
        ChangeState::Rejected,
        json!({"reason": reason}),
    )
    .await
}

/// A person's decision on a change: the transition, then the change as it now is.
async fn decide(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    to: ChangeState,
    details: serde_json::Value,
) -> Result<Change> {
    log::transition(pool, actor, id, to, details).await?;
    log::load_pool(pool, id).await
}

/// Builds (or drops) what the change describes. Returns the change as applied; a build
/// that fails is recorded as failed and returned as [`Error::ChangeFailed`].
pub async fn apply(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
    id: i64,
    progress: &dyn Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<Change> {
    let change = log::load_pool(pool, id).await?;
    let needs_approval = policy.require_approval || change.kind == ChangeKind::Drop;
    if change.state == ChangeState::Proposed && needs_approval {
        return Err(Error::InvalidInput(format!(
            "change {id} is proposed: approve it first (`indexpilot approve {id}`){}",
            if change.kind == ChangeKind::Drop {
                "; a drop always needs approval"
            } else {
                "; the policy requires approval"
            }
        )));
    }
    change.check(ChangeState::Applying)?;
    let plan = plan::for_apply(pool, &change, policy).await?;
    if plan.builds {
        plan::check_window(pool, policy).await?;
    }
    if change.kind == ChangeKind::Drop {
        // Keep what is dropped, so a rollback can re-create it exactly.
        versions::remember_existing(pool, &plan.schema, &plan.index, id).await?;
    }
    let session = build::open(pool, policy, id).await?;
    let started_at = now(pool).await?;
    let details = json!({"pid": session.pid, "slot": session.slot, "sql": plan.sql,
                         "lock_timeout_ms": policy.lock_timeout_ms,
                         "build_wait_timeout_ms": policy.build_wait_timeout_ms,
                         "statement_timeout_ms": policy.statement_timeout_ms});
    if let Err(e) = log::transition(pool, actor, id, ChangeState::Applying, details).await {
        session.close().await;
        return Err(e);
    }
    progress.step(if plan.builds { "building" } else { "dropping" }, 0.0);
    let (result, ms) = run(session, pool, &plan, progress, cancel).await;
    match result {
        Ok(()) => {
            let applied = finish(pool, actor, &change, &plan, ms, policy, started_at).await?;
            progress.step("done", 1.0);
            Ok(applied)
        }
        Err(e) => Err(fail(pool, actor, &change, &plan, e, cancel, policy).await),
    }
}

/// Undoes an applied change: drops the index it created, or re-creates the index it dropped
/// from `index_versions`.
pub async fn rollback(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
    id: i64,
    progress: &dyn Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<Change> {
    let change = log::load_pool(pool, id).await?;
    change.check(ChangeState::RollingBack)?;
    let plan = rollback_plan(pool, &change).await?;
    if plan.builds {
        plan::check_window(pool, policy).await?;
    }
    let session = build::open(pool, policy, id).await?;
    let details = json!({"pid": session.pid, "slot": session.slot, "sql": plan.sql});
    if let Err(e) = log::transition(pool, actor, id, ChangeState::RollingBack, details).await {
        session.close().await;
        return Err(e);
    }
    progress.step("rolling back", 0.0);
    let (result, ms) = run(session, pool, &plan, progress, cancel).await;
    let state = versions::index_state(pool, &plan.schema, &plan.index).await?;
    match result {
        Ok(()) => {
            if plan.builds {
                versions::record(pool, &plan.schema, &plan.index, id).await?;
            } else {
                versions::close(pool, &plan.schema, &plan.index).await?;
            }
            log::transition(
                pool,
                actor,
                id,
                ChangeState::RolledBack,
                json!({"duration_ms": ms}),
            )
            .await?;
            progress.step("done", 1.0);
            log::load_pool(pool, id).await
        }
        Err(e) => {
            let (sqlstate, message) = describe(&e);
            let mut cleanup = Value::Null;
            // Never another's index that took the name (42P07).
            if plan.builds
                && state == versions::IndexState::Invalid
                && sqlstate.as_deref() != Some("42P07")
            {
                cleanup = json!(drop_leftover(pool, policy, id, &plan, BUSY_RETRIES).await);
            }
            // A drop that did not happen leaves the change applied; one that did is done.
            let gone = !plan.builds && state == versions::IndexState::Missing;
            let next = if gone {
                ChangeState::RolledBack
            } else {
                ChangeState::Applied
            };
            let details = json!({"rollback_failed": !gone, "sqlstate": sqlstate, "message": message,
                                 "cancelled": cancel.load(Ordering::SeqCst), "cleanup": cleanup});
            log::transition(pool, actor, id, next, details).await?;
            if gone {
                versions::close(pool, &plan.schema, &plan.index).await?;
                return log::load_pool(pool, id).await;
            }
            Err(Error::ChangeFailed {
                id,
                what: "was not rolled back",
                reason: message,
                sqlstate,
            })
        }
    }
}

/// What a rollback runs: the drop of the index a create built (only while it is still that
/// index), or the re-creation of the index a drop removed, from its kept definition.
pub(super) async fn rollback_plan(pool: &PgPool, change: &Change) -> Result<Plan> {
    let id = change.id;
    Ok(match change.kind {
        ChangeKind::Create => {
            // The name may now belong to another index (ours dropped by hand, another
            // created under its name): only the index this change built is dropped.
            let built = versions::current_definition(pool, &change.schema, &change.index_name);
            let live = versions::live_definition(pool, &change.schema, &change.index_name);
            if let (Some(built), Some(live)) = (built.await?, live.await?) {
                if built != live {
                    return Err(Error::InvalidInput(format!(
                        "change {id}: {} is no longer the index this change built (it is now `{live}`): nothing was dropped; drop it yourself if it should go",
                        change.index_name
                    )));
                }
            }
            if partitions::is_partitioned(pool, &change.schema, &change.table).await? {
                let def = serde_json::from_value(change.proposal["definition"].clone()).map_err(
                    |_| {
                        Error::InvalidInput(format!(
                            "change {id}: its index definition is missing or unreadable"
                        ))
                    },
                )?;
                Plan::drop_partitioned(&change.schema, &change.index_name, def)
            } else {
                Plan::drop(&change.schema, &change.index_name)
            }
        }
        ChangeKind::Drop => {
            let definition = versions::last_definition(pool, &change.schema, &change.index_name)
                .await?
                .ok_or_else(|| {
                    Error::InvalidInput(format!(
                        "change {id}: the definition of {} was not kept, so it cannot be re-created",
                        change.index_name
                    ))
                })?;
            // The kept definition is a row anyone with INSERT on index_versions could
            // add: only one build of this very index runs.
            let sql = versions::concurrently(&definition);
            plan::one_index_statement(&sql, &change.schema, Some(&change.table), &change.index_name)
                .map_err(|why| {
                    Error::InvalidInput(format!(
                        "change {id}: the kept definition of {} is not one index build ({why}): it will not run",
                        change.index_name
                    ))
                })?;
            Plan {
                sql,
                schema: change.schema.clone(),
                index: change.index_name.clone(),
                builds: true,
                partitioned: None,
            }
        }
    })
}

/// Re-applies a rolled-back change.
pub async fn reapply(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
    id: i64,
    progress: &dyn Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<Change> {
    require_rolled_back(pool, id).await?;
    apply(pool, actor, policy, id, progress, cancel).await
}

/// Only a rolled-back change can be re-applied (a failed one is applied again with `apply`).
pub async fn require_rolled_back(pool: &PgPool, id: i64) -> Result<()> {
    let change = log::load_pool(pool, id).await?;
    if change.state != ChangeState::RolledBack {
        return Err(Error::InvalidInput(format!(
            "change {id} is {}: only a rolled-back change can be re-applied",
            change.state
        )));
    }
    Ok(())
}

async fn run(
    mut session: Session,
    pool: &PgPool,
    plan: &Plan,
    progress: &dyn Progress,
    cancel: &Arc<AtomicBool>,
) -> (Result<()>, u128) {
    let t = Instant::now();
    let result = match &plan.partitioned {
        Some(def) if plan.builds => {
            partitions::build(&mut session, pool, def, &plan.index, progress, cancel).await
        }
        // One statement takes the table's and every partition's lock at once: a writer
        // holding one of them makes it wait, and so everything queued behind it. Given up
        // at the policy's lock_timeout (as any DDL here), then tried again a few times.
        Some(_) => {
            let mut attempt = 0;
            loop {
                let r = session.run(pool, &plan.sql, progress, cancel).await;
                let timed_out = matches!(&r, Err(Error::Postgres(e)) if e.sqlstate == "55P03");
                if !timed_out || attempt + 1 >= DROP_ATTEMPTS || cancel.load(Ordering::SeqCst) {
                    break r;
                }
                attempt += 1;
                progress.step(
                    &format!(
                        "waiting for the table's writers: lock not granted, attempt {} of {DROP_ATTEMPTS}",
                        attempt + 1
                    ),
                    0.0,
                );
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        }
        None => session.run(pool, &plan.sql, progress, cancel).await,
    };
    session.close().await;
    (result, t.elapsed().as_millis())
}

/// Tries to drop a partitioned table's index this many times (each under lock_timeout).
pub(super) const DROP_ATTEMPTS: usize = 5;

async fn finish(
    pool: &PgPool,
    actor: &Actor,
    change: &Change,
    plan: &Plan,
    ms: u128,
    policy: &ApplyPolicy,
    started_at: chrono::DateTime<chrono::Utc>,
) -> Result<Change> {
    let size = if plan.builds {
        let state = versions::index_state(pool, &plan.schema, &plan.index).await?;
        if state != versions::IndexState::Valid {
            // A build that reports success leaves a valid index; anything else is a failure.
            return Err(fail(
                pool,
                actor,
                change,
                plan,
                Error::Local("the index is not valid after the build".into()),
                &Arc::new(AtomicBool::new(false)),
                policy,
            )
            .await);
        }
        versions::record(pool, &plan.schema, &plan.index, change.id).await?
    } else {
        versions::close(pool, &plan.schema, &plan.index).await?;
        0
    };
    log::transition(
        pool,
        actor,
        change.id,
        ChangeState::Applied,
        json!({"duration_ms": ms, "size_bytes": size, "index": plan.qualified()}),
    )
    .await?;
    let applied = log::load_pool(pool, change.id).await?;
    experiment::start(pool, &applied, started_at, policy).await?;
    Ok(applied)
}

/// Records the failure and removes what the failed build left (an INVALID index of the
/// name this change was about to create, which did not exist before it started).
async fn fail(
    pool: &PgPool,
    actor: &Actor,
    change: &Change,
    plan: &Plan,
    err: Error,
    cancel: &Arc<AtomicBool>,
    policy: &ApplyPolicy,
) -> Error {
    let (sqlstate, message) = describe(&err);
    let cancelled = cancel.load(Ordering::SeqCst);
    let mut cleanup = Value::Null;
    if plan.builds && plan.partitioned.is_some() {
        // The partitions built so far stay: dropping the table's index would take every
        // partition's lock at once, and applying again builds only the rest.
        cleanup = json!(format!(
            "the partitions built so far are kept ({} stays invalid until the rest are): apply it again to resume",
            plan.qualified()
        ));
    } else if plan.builds {
        match versions::index_state(pool, &plan.schema, &plan.index).await {
            // The build's own half-built index. When the name was taken in the meantime
            // (42P07), what is there is someone else's, valid or not: never dropped.
            Ok(versions::IndexState::Invalid) if sqlstate.as_deref() != Some("42P07") => {
                cleanup = json!(drop_leftover(pool, policy, change.id, plan, BUSY_RETRIES).await)
            }
            Ok(_) => {}
            Err(e) => cleanup = json!(format!("could not check for a leftover index: {e}")),
        }
    }
    let details = json!({"sqlstate": sqlstate, "message": message, "cancelled": cancelled,
                         "cleanup": cleanup});
    if let Err(e) = log::transition(pool, actor, change.id, ChangeState::Failed, details).await {
        return e;
    }
    let mut reason = if cancelled {
        "cancelled".to_string()
    } else {
        message
    };
    if let Some(c) = cleanup.as_str() {
        reason.push_str(&format!(" ({c})"));
    }
    Error::ChangeFailed {
        id: change.id,
        what: "failed",
        reason,
        sqlstate,
    }
}

/// Tries for a free build slot this many times, 250 ms apart, to clean up after a build.
const BUSY_RETRIES: usize = 20;

/// Drops the INVALID index a failed or interrupted build left at `plan`'s name, trying for a
/// build slot up to `attempts` times. Says what happened, for the log.
pub(super) async fn drop_leftover(
    pool: &PgPool,
    policy: &ApplyPolicy,
    id: i64,
    plan: &Plan,
    attempts: usize,
) -> String {
    let mut last = String::new();
    for attempt in 0..attempts.max(1) {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        match build::open(pool, policy, id).await {
            Ok(mut session) => {
                let sql = Plan::drop_sql(&plan.schema, &plan.index);
                let never = Arc::new(AtomicBool::new(false));
                let r = session.run(pool, &sql, &crate::Silent, &never).await;
                session.close().await;
                return match r {
                    Ok(()) => format!("the invalid index {} was dropped", plan.qualified()),
                    Err(e) => format!(
                        "the invalid index {} could not be dropped ({e}); the next start retries",
                        plan.qualified()
                    ),
                };
            }
            Err(e) => last = e.to_string(),
        }
    }
    format!(
        "the invalid index {} is still there ({last}); the next start retries",
        plan.qualified()
    )
}

/// SQLSTATE and message of a failure as the log keeps them.
fn describe(e: &Error) -> (Option<String>, String) {
    match e {
        Error::Postgres(pg) | Error::PermissionDenied(pg) => {
            (Some(pg.sqlstate.clone()), pg.message.clone())
        }
        other => (other.sqlstate().map(str::to_string), other.to_string()),
    }
}

async fn now(pool: &PgPool) -> Result<chrono::DateTime<chrono::Utc>> {
    Ok(sqlx::query_scalar("SELECT /* indexpilot */ now()")
        .fetch_one(pool)
        .await?)
}
