//! Validation of an applied change (`ab_experiments`): the statements on the changed table,
//! measured from the collector's deltas in a window before the change and the same window
//! after it, judged improved, regressed or inconclusive with the numbers and sample sizes;
//! plus the index's own scans and size and the table's write rate and HOT ratio. A
//! regression proposes a rollback (and rolls back when the policy says so).

use super::apply;
use super::log;
use super::model::{Change, ChangeKind, ChangeState};
use super::policy::ApplyPolicy;
use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::ident::quote_qualified;
use crate::mutations::{Actor, MutationKind};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A change of the mean time by less than this share is noise.
const THRESHOLD: f64 = 0.10;

/// Starts measuring an applied change: the baseline window ends when the build started,
/// the measurement begins when it finished.
pub async fn start(
    pool: &PgPool,
    change: &Change,
    started_at: DateTime<Utc>,
    policy: &ApplyPolicy,
) -> Result<i64> {
    let window = Duration::seconds(i64::try_from(policy.validation_window_s).unwrap_or(3600));
    let affected = affected_statements(pool, change).await?;
    let applied_at = change.updated_at;
    let (rate, hot) = table_rates(pool, change, started_at - window, started_at).await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO indexpilot.ab_experiments
             (mutation_id, status, affected_queryids, baseline_start, baseline_end, post_start,
              post_end, write_rate_before, hot_ratio_before)
         VALUES ($1, 'measuring', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(change.id)
    .bind(&affected)
    .bind(started_at - window)
    .bind(started_at)
    .bind(applied_at)
    .bind(applied_at + window)
    .bind(rate)
    .bind(hot)
    .fetch_one(pool)
    .await?)
}

/// The statements the change can affect: every analysed statement that reads or writes its
/// table (a new index can change any plan on the table, and costs every write to it), and
/// the ones its proposal was made for.
async fn affected_statements(pool: &PgPool, change: &Change) -> Result<Vec<i64>> {
    crate::workload::usage::analyse_collected(pool).await?;
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "SELECT /* indexpilot */ queryid FROM indexpilot.statements
         WHERE analysis -> 'tables' @> jsonb_build_array(jsonb_build_object('schema', $1::text, 'table', $2::text))",
    )
    .bind(&change.schema)
    .bind(&change.table)
    .fetch_all(pool)
    .await?;
    ids.extend(change.queryids());
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Writes per second and the HOT share of updates of the change's table in a window.
async fn table_rates(
    pool: &PgPool,
    change: &Change,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Option<f64>, Option<f64>)> {
    let row: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT /* indexpilot */ sum(n_tup_ins + n_tup_upd + n_tup_del)::float8,
                sum(n_tup_upd)::float8, sum(n_tup_hot_upd)::float8,
                sum(extract(epoch FROM interval_end - interval_start))::float8
         FROM indexpilot.table_stats
         WHERE schema_name = $1 AND table_name = $2
           AND interval_start >= $3 AND interval_end <= $4",
    )
    .bind(&change.schema)
    .bind(&change.table)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    let rate = match (row.0, row.3) {
        (Some(w), Some(s)) if s > 0.0 => Some(w / s),
        _ => None,
    };
    let hot = match (row.1, row.2) {
        (Some(u), Some(h)) if u > 0.0 => Some(h / u),
        _ => None,
    };
    Ok((rate, hot))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improved,
    Regressed,
    Inconclusive,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Regressed => "regressed",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// One statement in both windows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StatementResult {
    pub queryid: i64,
    pub calls_before: i64,
    pub calls_after: i64,
    pub mean_ms_before: Option<f64>,
    pub mean_ms_after: Option<f64>,
    pub blks_read_before: i64,
    pub blks_read_after: i64,
    /// Both windows have at least `min_calls` calls.
    pub counted: bool,
}

/// The verdict with the figures behind it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Time the counted statements took after, over what they would have taken at the
    /// baseline's mean times (1.0 = no change).
    pub time_ratio: Option<f64>,
    pub reason: String,
    pub statements: Vec<StatementResult>,
}

/// Judges from per-statement totals `(queryid, calls, total_ms, blks_read)` of each window.
pub fn judge(
    before: &[(i64, i64, f64, i64)],
    after: &[(i64, i64, f64, i64)],
    min_calls: i64,
) -> Judgement {
    let mut ids: Vec<i64> = before.iter().chain(after).map(|r| r.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let find = |rows: &[(i64, i64, f64, i64)], id: i64| {
        rows.iter()
            .find(|r| r.0 == id)
            .copied()
            .unwrap_or((id, 0, 0.0, 0))
    };
    let mean = |calls: i64, total: f64| (calls > 0).then(|| total / calls as f64);
    let (mut expected, mut actual) = (0.0, 0.0);
    let mut statements = Vec::with_capacity(ids.len());
    for id in ids {
        let (b, a) = (find(before, id), find(after, id));
        let counted = b.1 >= min_calls && a.1 >= min_calls;
        if counted {
            expected += a.1 as f64 * (b.2 / b.1 as f64);
            actual += a.2;
        }
        statements.push(StatementResult {
            queryid: id,
            calls_before: b.1,
            calls_after: a.1,
            mean_ms_before: mean(b.1, b.2),
            mean_ms_after: mean(a.1, a.2),
            blks_read_before: b.3,
            blks_read_after: a.3,
            counted,
        });
    }
    let counted = statements.iter().filter(|s| s.counted).count();
    if counted == 0 || expected <= 0.0 {
        let (cb, ca): (i64, i64) = (
            before.iter().map(|r| r.1).sum(),
            after.iter().map(|r| r.1).sum(),
        );
        return Judgement {
            verdict: Verdict::Inconclusive,
            time_ratio: None,
            reason: format!(
                "not enough calls to compare: {cb} before and {ca} after over {} statements; each needs {min_calls} in both windows",
                statements.len()
            ),
            statements,
        };
    }
    let ratio = actual / expected;
    let (verdict, reason) = if ratio <= 1.0 - THRESHOLD {
        (
            Verdict::Improved,
            format!(
                "the {counted} statements measured took {:.0}% less time than at their baseline mean times",
                (1.0 - ratio) * 100.0
            ),
        )
    } else if ratio >= 1.0 + THRESHOLD {
        (
            Verdict::Regressed,
            format!(
                "the {counted} statements measured took {:.0}% more time than at their baseline mean times",
                (ratio - 1.0) * 100.0
            ),
        )
    } else {
        (
            Verdict::Inconclusive,
            format!(
                "the {counted} statements measured changed by {:+.0}%, within the ±{:.0}% noise band",
                (ratio - 1.0) * 100.0,
                THRESHOLD * 100.0
            ),
        )
    };
    Judgement {
        verdict,
        time_ratio: Some(ratio),
        reason,
        statements,
    }
}

/// An experiment as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ts_rs::TS)]
pub struct Experiment {
    pub id: i64,
    pub mutation_id: i64,
    pub status: String,
    pub affected_queryids: Vec<i64>,
    #[ts(type = "string | null")]
    pub baseline_start: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub baseline_end: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub post_start: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub post_end: Option<DateTime<Utc>>,
    pub write_rate_before: Option<f64>,
    pub write_rate_after: Option<f64>,
    pub hot_ratio_before: Option<f64>,
    pub hot_ratio_after: Option<f64>,
    pub verdict: Option<String>,
    #[ts(type = "unknown")]
    pub verdict_json: Value,
}

const SELECT: &str =
    "SELECT id, mutation_id, status, affected_queryids, baseline_start, baseline_end,
        post_start, post_end, write_rate_before, write_rate_after, hot_ratio_before,
        hot_ratio_after, verdict, verdict_json
 FROM indexpilot.ab_experiments";

pub async fn list(pool: &PgPool) -> Result<Vec<Experiment>> {
    Ok(sqlx::query_as(&format!("{SELECT} ORDER BY id"))
        .fetch_all(pool)
        .await?)
}

/// Judges every experiment whose measurement window has ended.
pub async fn evaluate_due(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
) -> Result<Vec<Experiment>> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT /* indexpilot */ id FROM indexpilot.ab_experiments WHERE status = 'measuring' AND post_end <= now() ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for id in due {
        out.push(evaluate(pool, actor, policy, id, false).await?);
    }
    Ok(out)
}

/// Judges one experiment; `early` judges with what the measurement window holds so far.
pub async fn evaluate(
    pool: &PgPool,
    actor: &Actor,
    policy: &ApplyPolicy,
    id: i64,
    early: bool,
) -> Result<Experiment> {
    let e: Experiment = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| crate::Error::NotFound {
            what: "experiment",
            name: id.to_string(),
        })?;
    let change = log::load_pool(pool, e.mutation_id).await?;
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT /* indexpilot */ now()")
        .fetch_one(pool)
        .await?;
    let post_end = if early {
        e.post_end.map_or(now, |end| end.min(now))
    } else {
        e.post_end.unwrap_or(now)
    };
    let before = window(pool, &e.affected_queryids, e.baseline_start, e.baseline_end).await?;
    let after = window(pool, &e.affected_queryids, e.post_start, Some(post_end)).await?;
    let judgement = judge(&before, &after, policy.min_calls);
    let (rate_after, hot_after) = match e.post_start {
        Some(start) => table_rates(pool, &change, start, post_end).await?,
        None => (None, None),
    };
    let index: Option<(i64, i64)> = if change.kind == ChangeKind::Create {
        sqlx::query_as(
            "SELECT /* indexpilot */ coalesce(s.idx_scan, 0), pg_relation_size(s.indexrelid)
             FROM pg_stat_user_indexes s WHERE s.indexrelid = to_regclass($1)",
        )
        .bind(quote_qualified(&change.schema, &change.index_name))
        .fetch_optional(pool)
        .await?
    } else {
        None
    };
    let regressed = judgement.verdict == Verdict::Regressed;
    let details = json!({
        "experiment_id": id,
        "verdict": judgement.verdict.as_str(),
        "time_ratio": judgement.time_ratio,
        "reason": judgement.reason,
        "statements": judgement.statements,
        "index_scans": index.map(|i| i.0),
        "index_size_bytes": index.map(|i| i.1),
        "write_rate_before": e.write_rate_before,
        "write_rate_after": rate_after,
        "hot_ratio_before": e.hot_ratio_before,
        "hot_ratio_after": hot_after,
        "early": early && e.post_end.is_some_and(|end| end > now),
        "rollback_proposed": regressed,
        "auto_rollback": regressed && policy.auto_rollback,
    });
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    sqlx::query(
        "UPDATE indexpilot.ab_experiments
         SET status = 'done', verdict = $2, verdict_json = $3, write_rate_after = $4,
             hot_ratio_after = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(judgement.verdict.as_str())
    .bind(&details)
    .bind(rate_after)
    .bind(hot_after)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM indexpilot.ab_experiment_results WHERE experiment_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for s in &judgement.statements {
        for (phase, calls, mean, read) in [
            (
                "baseline",
                s.calls_before,
                s.mean_ms_before,
                s.blks_read_before,
            ),
            ("post", s.calls_after, s.mean_ms_after, s.blks_read_after),
        ] {
            sqlx::query(
                "INSERT INTO indexpilot.ab_experiment_results
                     (experiment_id, queryid, phase, calls, mean_exec_ms, shared_blks_read, samples)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(s.queryid)
            .bind(phase)
            .bind(calls)
            .bind(mean)
            .bind(read)
            .bind(i32::try_from(calls).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await?;
        }
    }
    log::append(
        &mut tx,
        actor,
        &change,
        None,
        &details,
        MutationKind::Validation.as_str(),
    )
    .await?;
    tx.commit().await?;
    if regressed && policy.auto_rollback && change.state == ChangeState::Applied {
        let never = Arc::new(AtomicBool::new(false));
        apply::rollback(pool, actor, policy, change.id, &crate::Silent, &never).await?;
    }
    Ok(sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await?)
}

/// Per-statement totals `(queryid, calls, total_ms, blks_read)` of the deltas that lie
/// entirely inside a window.
async fn window(
    pool: &PgPool,
    ids: &[i64],
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<(i64, i64, f64, i64)>> {
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_as(
        "SELECT /* indexpilot */ queryid, sum(calls)::int8, coalesce(sum(total_exec_ms), 0)::float8,
                coalesce(sum(shared_blks_read), 0)::int8
         FROM indexpilot.query_stats
         WHERE source = 'pg_stat_statements' AND queryid = ANY($1)
           AND interval_start >= $2 AND interval_end <= $3
         GROUP BY queryid",
    )
    .bind(ids)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_time_the_same_calls_take() {
        let before = [(1, 100, 500.0, 10), (2, 50, 50.0, 0)];
        let faster = [(1, 120, 60.0, 0), (2, 40, 40.0, 0)];
        let j = judge(&before, &faster, 20);
        assert_eq!(j.verdict, Verdict::Improved);
        assert!(j.time_ratio.is_some_and(|r| r < 0.2), "{j:?}");

        let slower = [(1, 100, 900.0, 40), (2, 50, 50.0, 0)];
        assert_eq!(judge(&before, &slower, 20).verdict, Verdict::Regressed);

        let same = [(1, 80, 410.0, 8), (2, 60, 58.0, 0)];
        assert_eq!(judge(&before, &same, 20).verdict, Verdict::Inconclusive);

        let few = [(1, 5, 1.0, 0)];
        let j = judge(&before, &few, 20);
        assert_eq!(j.verdict, Verdict::Inconclusive);
        assert!(j.reason.contains("not enough calls"), "{}", j.reason);
    }
}
