//! Reading a change from the mutation log and appending its transitions. Transitions of
//! one change are serialised by a row lock on its root entry, so two people (or two app
//! instances) acting on the same change cannot both move it.

use super::model::{Change, ChangeKind, ChangeState};
use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use crate::mutations::Actor;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    schema_name: Option<String>,
    table_name: Option<String>,
    ddl: Option<String>,
    occurred_at: DateTime<Utc>,
    details_json: Value,
    state: Option<String>,
    updated_at: Option<DateTime<Utc>>,
    last: Option<Value>,
}

/// The latest transition of the change whose root entry is `r`, to be joined LATERAL as
/// `latest` (status, occurred_at, details_json): where a change stands, for every reader.
pub(crate) const LATEST: &str = "(
        SELECT m.status, m.occurred_at, m.details_json FROM indexpilot.mutation_log m
        WHERE (m.id = r.id OR m.parent_id = r.id) AND m.status IS NOT NULL
        ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) latest";

/// Each root entry with its latest transition (a change as it stands); callers add the WHERE.
fn changes() -> String {
    format!(
        "SELECT r.id, r.kind, r.schema_name, r.table_name, r.ddl, r.occurred_at, r.details_json,
                latest.status AS state, latest.occurred_at AS updated_at, latest.details_json AS last
         FROM indexpilot.mutation_log r
         LEFT JOIN LATERAL {LATEST} ON true"
    )
}

/// The change with this id, as it stands.
pub async fn load(conn: &mut PgConnection, id: i64) -> Result<Change> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{} WHERE r.id = $1 AND r.parent_id IS NULL",
        changes()
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let row = row.ok_or_else(|| not_found(id))?;
    from_row(row).ok_or_else(|| not_found(id))
}

pub async fn load_pool(pool: &PgPool, id: i64) -> Result<Change> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        what: "change",
        name: format!("{id} (see `indexpilot advise` and `indexpilot history` for ids)"),
    }
}

fn from_row(r: Row) -> Option<Change> {
    let kind = ChangeKind::from_log(&r.kind)?;
    let state = ChangeState::parse(r.state.as_deref()?)?;
    let index_name = r.details_json["index_name"]
        .as_str()
        .map(str::to_string)
        .or_else(|| drop_target(r.ddl.as_deref()?))
        .unwrap_or_default();
    Some(Change {
        id: r.id,
        kind,
        state,
        schema: r.schema_name.unwrap_or_default(),
        table: r.table_name.unwrap_or_default(),
        index_name,
        ddl: r.ddl.unwrap_or_default(),
        proposed_at: r.occurred_at,
        updated_at: r.updated_at.unwrap_or(r.occurred_at),
        proposal: r.details_json,
        last: r.last.unwrap_or(Value::Null),
    })
}

/// The index name in `DROP INDEX CONCURRENTLY "schema"."name";` (drop proposals carry it
/// in their DDL).
fn drop_target(ddl: &str) -> Option<String> {
    let rest = ddl.trim().trim_end_matches(';');
    let (_, target) = rest.rsplit_once(" INDEX CONCURRENTLY ")?;
    let target = target.trim().trim_start_matches("IF EXISTS ");
    crate::ident::parse_table(target).ok().map(|(_, name)| name)
}

/// Appends a transition after checking, under the root's row lock, that the change is in a
/// state that allows it. Returns the change as it was before the transition.
pub async fn transition(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    next: ChangeState,
    details: Value,
) -> Result<Change> {
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    sqlx::query("SELECT /* indexpilot */ id FROM indexpilot.mutation_log WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let change = load(&mut tx, id).await?;
    change.check(next)?;
    append(
        &mut tx,
        actor,
        &change,
        Some(next),
        &details,
        change.kind.log_kind(),
    )
    .await?;
    tx.commit().await?;
    Ok(change)
}

/// Appends an entry under a change: a transition (`status`) or, with kind `validation`, a
/// verdict that leaves the state as it is.
pub async fn append(
    conn: &mut PgConnection,
    actor: &Actor,
    change: &Change,
    status: Option<ChangeState>,
    details: &Value,
    kind: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO indexpilot.mutation_log
             (kind, status, parent_id, actor_os_user, schema_name, table_name, ddl, details_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(kind)
    .bind(status.map(ChangeState::as_str))
    .bind(change.id)
    .bind(actor.os_user.as_deref())
    .bind(&change.schema)
    .bind(&change.table)
    .bind(&change.ddl)
    .bind(details)
    .fetch_one(conn)
    .await?)
}

/// Changes whose latest state is one of `states`, oldest first.
pub async fn in_states(pool: &PgPool, states: &[ChangeState]) -> Result<Vec<Change>> {
    let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{} WHERE r.parent_id IS NULL AND r.kind IN ('index_create', 'index_drop')
                     AND latest.status = ANY($1)
         ORDER BY r.id",
        changes()
    ))
    .bind(&names)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One line of the history: an entry of an index change (its proposal, a transition or a
/// verdict), with the change it belongs to.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ts_rs::TS)]
pub struct HistoryEntry {
    pub id: i64,
    /// The change (root entry) this entry belongs to.
    pub change_id: i64,
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    /// The kind of entry (text as the log holds it; typed for the UI).
    #[ts(as = "crate::mutations::MutationKind")]
    pub kind: String,
    #[ts(as = "Option<super::ChangeState>", optional)]
    pub status: Option<String>,
    pub actor_role: String,
    #[ts(optional)]
    pub actor_os_user: Option<String>,
    #[ts(optional)]
    pub schema_name: Option<String>,
    #[ts(optional)]
    pub table_name: Option<String>,
    #[ts(optional)]
    pub field_name: Option<String>,
    #[ts(optional)]
    pub tenant_id: Option<String>,
    #[ts(optional)]
    pub ddl: Option<String>,
    #[ts(type = "unknown")]
    pub details_json: Value,
}

/// Every entry of every index change, in time order; `since` keeps the recent part.
pub async fn history(pool: &PgPool, since: Option<DateTime<Utc>>) -> Result<Vec<HistoryEntry>> {
    Ok(sqlx::query_as(
        "SELECT /* indexpilot */ m.id, coalesce(m.parent_id, m.id) AS change_id, m.occurred_at, m.kind, m.status,
                m.actor_role, m.actor_os_user, m.schema_name, m.table_name, m.field_name,
                m.tenant_id, m.ddl, m.details_json
         FROM indexpilot.mutation_log m
         WHERE m.kind IN ('index_create', 'index_drop', 'validation')
           AND ($1::timestamptz IS NULL OR m.occurred_at >= $1)
         ORDER BY m.occurred_at, m.id",
    )
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// The newest `limit` entries of every kind (the app's timeline), oldest first.
pub async fn timeline(pool: &PgPool, limit: i64) -> Result<Vec<HistoryEntry>> {
    Ok(sqlx::query_as(
        "SELECT /* indexpilot */ * FROM (
             SELECT m.id, coalesce(m.parent_id, m.id) AS change_id, m.occurred_at, m.kind, m.status,
                    m.actor_role, m.actor_os_user, m.schema_name, m.table_name, m.field_name,
                    m.tenant_id, m.ddl, m.details_json
             FROM indexpilot.mutation_log m
             ORDER BY m.occurred_at DESC, m.id DESC
             LIMIT $1) t
         ORDER BY occurred_at, id",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
