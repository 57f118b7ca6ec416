//! Index sets: the expert's from `expert.sql`, built for real for a throughput run and
//! dropped afterwards; trap statements recognised by their query fingerprint.

use super::Error;
use indexpilot_engine::advisor::evaluate::Evaluation;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::Path;

/// What one run's statements took, by query id: execution ms and calls summed, and the
/// text.
#[derive(Debug, Default)]
pub struct Timings(pub HashMap<i64, (f64, i64, String)>);

impl Timings {
    pub fn add(&mut self, other: Timings) {
        for (q, (ms, calls, text)) in other.0 {
            let e = self.0.entry(q).or_insert((0.0, 0, text));
            e.0 += ms;
            e.1 += calls;
        }
    }

    /// Mean execution ms per call of a statement, when it ran.
    pub fn mean(&self, q: i64) -> Option<f64> {
        self.0.get(&q).filter(|t| t.1 > 0).map(|t| t.0 / t.1 as f64)
    }
}

/// The `CREATE INDEX` statements of `expert.sql`.
pub fn expert(dir: &Path) -> Result<Vec<String>, Error> {
    let sql = std::fs::read_to_string(dir.join("expert.sql"))?;
    Ok(pg_query::split_with_parser(&sql)?
        .into_iter()
        .map(|s| strip_comments(s).trim().to_string())
        .filter(|s| s.to_uppercase().starts_with("CREATE INDEX"))
        .collect())
}

fn strip_comments(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Builds the set: each new index's name and size.
async fn build(pool: &PgPool, set: &[String]) -> Result<Vec<(String, i64)>, Error> {
    let before: Vec<i64> = sqlx::query_scalar("SELECT indexrelid::int8 FROM pg_index")
        .fetch_all(pool)
        .await?;
    for ddl in set {
        sqlx::raw_sql(ddl)
            .execute(pool)
            .await
            .map_err(|e| format!("{ddl}: {e}"))?;
    }
    // An index on a partitioned table has one on each partition: they count in the size
    // and go with their parent (listed first, by the parent's name).
    Ok(sqlx::query_as(
        "SELECT coalesce(p.inhparent, i.indexrelid)::regclass::text,
                pg_relation_size(i.indexrelid)::int8
         FROM pg_index i LEFT JOIN pg_inherits p ON p.inhrelid = i.indexrelid
         WHERE NOT i.indexrelid = ANY($1)",
    )
    .bind(&before)
    .fetch_all(pool)
    .await?)
}

async fn drop_built(pool: &PgPool, built: &[(String, i64)]) -> Result<(), Error> {
    let names: std::collections::BTreeSet<&String> = built.iter().map(|(n, _)| n).collect();
    for name in names {
        sqlx::raw_sql(&format!("DROP INDEX {name}"))
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// The set's size built for real (then dropped again), without touching the statistics
/// the advisor reads.
pub async fn built_size(pool: &PgPool, set: &[String]) -> Result<i64, Error> {
    let built = build(pool, set).await?;
    drop_built(pool, &built).await?;
    Ok(built.iter().map(|(_, s)| s).sum())
}

/// Builds the set, runs `f`, drops what was built; returns the set's total size and `f`'s
/// result.
pub async fn with_built<F, Fut>(
    pool: &PgPool,
    set: &[String],
    show_sizes: bool,
    f: F,
) -> Result<(i64, f64, Timings), Error>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<f64, Error>>,
{
    let built = build(pool, set).await?;
    // Every round starts from the same state: the dead rows the last round's writes left
    // vacuumed away (as autovacuum would have between a DBA's runs), the visibility map set
    // for index-only scans, and the builds' dirty pages written out, so that a checkpoint
    // does not land in one set's round and not the other's.
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    sqlx::raw_sql("CHECKPOINT").execute(pool).await?;
    let size = built.iter().map(|(_, s)| s).sum();
    if show_sizes {
        for (name, bytes) in &built {
            println!("    built {name}: {:.2} MB", *bytes as f64 / 1_048_576.0);
        }
    }
    sqlx::query("SELECT pg_stat_statements_reset()")
        .execute(pool)
        .await?;
    let result = f().await;
    // Where the time went: the statements that dominate the run.
    let ran: Vec<(i64, f64, i64, String)> = sqlx::query_as(
        "SELECT queryid, total_exec_time, calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND queryid IS NOT NULL
         ORDER BY total_exec_time DESC",
    )
    .fetch_all(pool)
    .await?;
    for (_, ms, calls, q) in ran.iter().take(4) {
        println!("    {:>9.0} ms {:>7} calls  {q}", ms, calls);
    }
    let timings = Timings(
        ran.into_iter()
            .map(|(q, ms, calls, text)| (q, (ms, calls, text)))
            .collect(),
    );
    drop_built(pool, &built).await?;
    Ok((size, result?, timings))
}

/// Fingerprints of the statements in scripts marked `-- Trap:` (the last statement of the
/// script, with its `:variables` as parameters, as pg_stat_statements records it).
pub fn trap_fingerprints(dir: &Path) -> Result<HashSet<String>, Error> {
    let mut out = HashSet::new();
    for entry in std::fs::read_dir(dir.join("scripts"))? {
        let text = std::fs::read_to_string(entry?.path())?;
        if !text.contains("-- Trap") {
            continue;
        }
        // A helper query ends at its `\gset`, not at a semicolon.
        let body: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('\\') && !l.trim_start().starts_with("--"))
            .map(|l| match l.find("\\g") {
                Some(at) => format!("{};", &l[..at]),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let last = body
            .split(';')
            .map(str::trim)
            .rfind(|s| !s.is_empty())
            .unwrap_or("");
        if let Some(f) = fingerprint(&parameters(last)) {
            out.insert(f);
        }
    }
    Ok(out)
}

/// `:name` → `$n`, as pgbench's prepared mode sends it.
fn parameters(sql: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek().is_some_and(|p| p.is_ascii_alphabetic()) {
            n += 1;
            while chars
                .peek()
                .is_some_and(|p| p.is_ascii_alphanumeric() || *p == '_')
            {
                chars.next();
            }
            out.push_str(&format!("${n}"));
        } else if c == ':' && chars.peek() == Some(&':') {
            out.push_str("::");
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

/// libpg_query's fingerprint: the same for texts that differ only in constants (a
/// normalised typed literal, `interval $2`, read as the cast it stands for).
pub fn fingerprint(sql: &str) -> Option<String> {
    let repaired = indexpilot_engine::workload::analyse::repair(sql);
    pg_query::fingerprint(repaired.as_deref().unwrap_or(sql), 0, 0)
        .ok()
        .map(|f| f.hex)
}

/// Planner costs of the workload with `set`: hypothetically (HypoPG), except the index
/// kinds HypoPG cannot create (GIN, GiST, SP-GiST), which are built for real for the
/// evaluation and dropped afterwards.
pub async fn evaluate(pool: &PgPool, set: &[String]) -> Result<Evaluation, Error> {
    let (real, hypothetical): (Vec<String>, Vec<String>) =
        set.iter().cloned().partition(|ddl| needs_building(ddl));
    let built = build(pool, &real).await?;
    let evaluation = indexpilot_engine::advisor::evaluate::evaluate(pool, &hypothetical).await;
    drop_built(pool, &built).await?;
    Ok(evaluation?)
}

fn needs_building(ddl: &str) -> bool {
    let d = ddl.to_lowercase();
    ["using gin", "using gist", "using spgist"]
        .iter()
        .any(|m| d.contains(m))
}
