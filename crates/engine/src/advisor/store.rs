//! Proposals in the mutation log. A proposal is a root entry (status `proposed`, kind
//! `index_create` or `index_drop`) whose `details_json` carries its fingerprint, reason,
//! figures and statements; later transitions are child entries (`parent_id`). A re-run
//! finds the open proposal with the same fingerprint and keeps its id — appending a fresh
//! `proposed` entry only when its figures moved — and marks open proposals the run no longer
//! makes as `superseded`. The log stays append-only.

use super::model::{Proposal, ProposalKind};
use crate::change::log::LATEST;
use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use crate::mutations::{Actor, MutationKind};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::HashMap;
use ts_rs::TS;

/// Figures that moved less than this (relative) do not make a new entry.
const REFRESH_THRESHOLD: f64 = 0.10;
/// Statements stored with a proposal (the most expensive first).
const STORED_STATEMENTS: usize = 50;

struct Open {
    id: i64,
    net: f64,
}

/// Gives each proposal its id, recording new and changed ones and superseding stale ones.
pub async fn save(
    pool: &PgPool,
    actor: &Actor,
    proposals: &mut [Proposal],
    fingerprints: &[String],
) -> Result<()> {
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    sqlx::query("SELECT /* indexpilot */ pg_advisory_xact_lock(hashtext('indexpilot.advise'))")
        .execute(&mut *tx)
        .await?;
    // Open proposals: roots whose latest entry is still `proposed`.
    let rows: Vec<(i64, String, Option<f64>)> = sqlx::query_as(
        "SELECT /* indexpilot */ r.id, r.details_json->>'fingerprint',
                (latest.details_json->>'net_saving')::float8
         FROM indexpilot.mutation_log r
         CROSS JOIN LATERAL (
             SELECT m.status, m.details_json FROM indexpilot.mutation_log m
             WHERE m.id = r.id OR m.parent_id = r.id
             ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) latest
         WHERE r.parent_id IS NULL AND r.kind IN ('index_create', 'index_drop')
           AND r.details_json ? 'fingerprint' AND latest.status = 'proposed'",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut open: HashMap<String, Open> = rows
        .into_iter()
        .map(|(id, fp, net)| {
            (
                fp,
                Open {
                    id,
                    net: net.unwrap_or(0.0),
                },
            )
        })
        .collect();

    for (p, fp) in proposals.iter_mut().zip(fingerprints) {
        let net = p.benefit.weighted_cost_before
            - p.benefit.weighted_cost_after
            - p.benefit.write_overhead;
        let details = details(p, fp, net)?;
        match open.remove(fp) {
            Some(o) => {
                p.id = o.id;
                let moved = (net - o.net).abs() > REFRESH_THRESHOLD * o.net.abs().max(1.0);
                if moved {
                    insert(&mut tx, actor, p, Some(o.id), "proposed", &details).await?;
                }
            }
            None => {
                p.id = insert(&mut tx, actor, p, None, "proposed", &details).await?;
            }
        }
    }
    for (_, stale) in open {
        sqlx::query(
            "INSERT INTO indexpilot.mutation_log
                 (kind, status, parent_id, actor_os_user, schema_name, table_name, ddl, details_json)
             SELECT kind, 'superseded', id, $2, schema_name, table_name, ddl,
                    jsonb_build_object('fingerprint', details_json->'fingerprint',
                                       'reason', 'the latest advisor run no longer proposes it')
             FROM indexpilot.mutation_log WHERE id = $1",
        )
        .bind(stale.id)
        .bind(actor.os_user.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A proposal waiting for a decision, as the mutation log holds it: what the latest run
/// that made it said, who first proposed it and when.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoredProposal {
    pub proposal: Proposal,
    /// The operating-system user whose run first proposed it (None when not recorded).
    pub proposed_by: Option<String>,
    pub proposed_at: DateTime<Utc>,
    /// When a later run last restated it with new figures (`proposed_at` if none did).
    pub refreshed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct StoredRow {
    id: i64,
    kind: String,
    schema_name: Option<String>,
    table_name: Option<String>,
    ddl: Option<String>,
    proposed_by: Option<String>,
    proposed_at: DateTime<Utc>,
    refreshed_at: DateTime<Utc>,
    details: Value,
}

/// The open proposals (latest entry still `proposed`), the largest net saving first: what a
/// scheduled `indexpilot advise` or an earlier run left for a person to decide. Read-only.
pub async fn open_proposals(pool: &PgPool) -> Result<Vec<StoredProposal>> {
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    let rows: Vec<StoredRow> = sqlx::query_as(&format!(
        "SELECT /* indexpilot */ r.id, r.kind, r.schema_name, r.table_name, r.ddl,
                r.actor_os_user AS proposed_by, r.occurred_at AS proposed_at,
                latest.occurred_at AS refreshed_at, latest.details_json AS details
         FROM indexpilot.mutation_log r
         CROSS JOIN LATERAL {LATEST}
         WHERE r.parent_id IS NULL AND r.kind IN ('index_create', 'index_drop')
           AND r.details_json ? 'fingerprint' AND latest.status = 'proposed'
         ORDER BY (latest.details_json->>'net_saving')::float8 DESC NULLS LAST, r.id"
    ))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().filter_map(stored).collect())
}

/// A proposal rebuilt from its entry; None for an entry this version cannot read (written
/// by another version of IndexPilot with other fields): it stays in the log, unshown.
fn stored(r: StoredRow) -> Option<StoredProposal> {
    let d = &r.details;
    let proposal = Proposal {
        id: r.id,
        kind: match r.kind.as_str() {
            k if k == MutationKind::IndexDrop.as_str() => ProposalKind::Drop,
            _ => ProposalKind::Create,
        },
        schema: r.schema_name?,
        table: r.table_name?,
        columns: field(d, "columns")?,
        ddl: r.ddl?,
        estimated_size_bytes: field(d, "estimated_size_bytes")?,
        benefit: field(d, "benefit")?,
        statements: field(d, "statements")?,
        reason: field(d, "reason")?,
        why: field(d, "why")?,
        verified: field(d, "verified")?,
        index_name: field(d, "index_name")?,
        definition: field(d, "definition").flatten(),
    };
    Some(StoredProposal {
        proposal,
        proposed_by: r.proposed_by,
        proposed_at: r.proposed_at,
        refreshed_at: r.refreshed_at,
    })
}

fn field<T: serde::de::DeserializeOwned>(details: &Value, key: &str) -> Option<T> {
    serde_json::from_value(details.get(key)?.clone()).ok()
}

fn details(p: &Proposal, fingerprint: &str, net: f64) -> Result<Value> {
    let mut statements = p.statements.clone();
    statements.truncate(STORED_STATEMENTS);
    Ok(json!({
        "fingerprint": fingerprint,
        "reason": p.reason,
        "why": val(&p.why)?,
        "index_name": p.index_name,
        "columns": p.columns,
        "estimated_size_bytes": p.estimated_size_bytes,
        "benefit": val(&p.benefit)?,
        "net_saving": net,
        "verified": p.verified,
        "statements": val(&statements)?,
        "definition": val(&p.definition)?,
    }))
}

async fn insert(
    tx: &mut sqlx::PgConnection,
    actor: &Actor,
    p: &Proposal,
    parent: Option<i64>,
    status: &str,
    details: &Value,
) -> Result<i64> {
    let kind = match p.kind {
        ProposalKind::Create => MutationKind::IndexCreate,
        ProposalKind::Drop => MutationKind::IndexDrop,
    }
    .as_str();
    Ok(sqlx::query_scalar(
        "INSERT INTO indexpilot.mutation_log
             (kind, status, parent_id, actor_os_user, schema_name, table_name, ddl, details_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(kind)
    .bind(status)
    .bind(parent)
    .bind(actor.os_user.as_deref())
    .bind(&p.schema)
    .bind(&p.table)
    .bind(&p.ddl)
    .bind(details)
    .fetch_one(tx)
    .await?)
}

fn val<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Client(e.to_string()))
}
