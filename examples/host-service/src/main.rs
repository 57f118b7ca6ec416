//! An example host application: a small invoicing service that uses IndexPilot's engine as
//! a library, step by step as the README's "Using the engine as a library" describes.
//!
//! ```text
//! DATABASE_URL=postgres://… indexpilot-host-example [--schema-file FILE] [--requests N]
//! ```
//!
//! It runs its own migrations, creates IndexPilot's metadata schema, bootstraps the genome
//! (from the live schema, or from a schema file), re-syncs after its second migration,
//! serves requests while logging each query's statistic, runs the advisor, and prints one
//! JSON object saying what each step did.

use indexpilot_engine::advisor::AdvisorPolicy;
use indexpilot_engine::host::{self, QueryStat, QueryType, StatsLogger, StatsLoggerOptions};
use indexpilot_engine::schema_file::{ImportOptions, SchemaFile};
use indexpilot_engine::Actor;
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

type Failure = Box<dyn std::error::Error>;

const TENANTS: i64 = 10;
const INVOICES: usize = 50_000;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("host-example: error: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    schema_file: Option<PathBuf>,
    requests: usize,
}

fn args() -> Result<Args, Failure> {
    let mut out = Args {
        schema_file: None,
        requests: 2000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--schema-file" => {
                out.schema_file = Some(it.next().ok_or("--schema-file needs a path")?.into())
            }
            "--requests" => out.requests = it.next().ok_or("--requests needs a number")?.parse()?,
            other => {
                return Err(format!(
                    "unknown argument {other}: use --schema-file FILE, --requests N"
                )
                .into())
            }
        }
    }
    Ok(out)
}

async fn run() -> Result<(), Failure> {
    let args = args()?;
    let url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL to the service's database")?;
    // The service's own pool: IndexPilot works through it, and keeps no state of its own.
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect(&url)
        .await?;
    let actor = Actor::named("invoicing-service");

    migrate_v1(&pool).await?;
    // 1. IndexPilot's metadata schema, next to the service's tables.
    let metadata = host::create_metadata_schema(&pool).await?;
    // 2–3. The genome: from a reviewed schema file when there is one, else from discovery.
    let genome = match &args.schema_file {
        Some(path) => {
            let file = SchemaFile::read(path)?;
            let options = ImportOptions {
                reason: Some(format!("deploy of {}", path.display())),
                ..ImportOptions::default()
            };
            let report = host::bootstrap_from_schema_file(&pool, &actor, &file, &options).await?;
            json!({"from": "schema_file", "flag_changes": report.flag_changes.len(),
                   "differences": report.differences(), "bootstrapped": report.bootstrapped})
        }
        None => {
            let (catalog, outcome) = host::discover_and_bootstrap(&pool, &actor).await?;
            json!({"from": "discovery", "relations": catalog.relations.len(), "outcome": outcome})
        }
    };
    // 4. After each of the service's migrations: what changed, then sync.
    migrate_v2(&pool).await?;
    let detected = host::detect_schema_changes(&pool).await?;
    let synced = host::sync_schema_changes(&pool, &actor).await?;
    let added: Vec<String> = detected.added.iter().map(|f| f.key().to_string()).collect();

    // 5. The hot path: each request logs its query's statistic without waiting.
    seed(&pool).await?;
    let logger = StatsLogger::start(pool.clone(), StatsLoggerOptions::default());
    for i in 0..args.requests {
        // A customer's invoices, as the service's "my invoices" page asks for them.
        let n = (i * 7919) % INVOICES + 1;
        let tenant = i64::try_from(n).unwrap_or(0) % TENANTS;
        let started = Instant::now();
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, status FROM invoices WHERE tenant_id = $1 AND customer_email = $2",
        )
        .bind(tenant)
        .bind(format!("c{n}@example.com"))
        .fetch_all(&pool)
        .await?;
        std::hint::black_box(rows);
        logger.log(
            QueryStat::new("invoices", QueryType::Select, started.elapsed())
                .tenant(tenant.to_string())
                .field("customer_email"),
        );
    }
    let stats = logger.shutdown().await;

    // 6. The advisor, under the default policy, and what it left for a person to approve.
    let advice = host::advise(&pool, &actor, &AdvisorPolicy::default().options()).await?;
    let open = host::open_proposals(&pool).await?;
    let report = json!({
        "metadata": {"created_schema": metadata.created_schema, "applied": metadata.applied,
                     "version": metadata.version},
        "genome": genome,
        "schema_changes": {"added": added, "applied": synced.change_count()},
        "stats": stats,
        "advice": {"statements_analysed": advice.statements_analysed,
                   "proposals": advice.proposals.iter().map(|p| p.ddl.clone()).collect::<Vec<_>>()},
        "open_proposals": open.len(),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    pool.close().await;
    Ok(())
}

/// The service's first migration.
async fn migrate_v1(pool: &PgPool) -> Result<(), Failure> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS invoices (
             id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             tenant_id      bigint NOT NULL,
             customer_email text NOT NULL,
             status         text NOT NULL,
             amount         numeric(12, 2) NOT NULL,
             issued_at      timestamptz NOT NULL DEFAULT now()
         )",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The service's second migration, after IndexPilot first saw the schema.
async fn migrate_v2(pool: &PgPool) -> Result<(), Failure> {
    sqlx::raw_sql("ALTER TABLE invoices ADD COLUMN IF NOT EXISTS due_at timestamptz")
        .execute(pool)
        .await?;
    Ok(())
}

/// Enough invoices that an index is worth proposing.
async fn seed(pool: &PgPool) -> Result<(), Failure> {
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM invoices)")
        .fetch_one(pool)
        .await?;
    if empty {
        sqlx::raw_sql(
            "INSERT INTO invoices (tenant_id, customer_email, status, amount, issued_at)
             SELECT g % 10, 'c' || g || '@example.com',
                    (ARRAY['draft', 'sent', 'paid', 'void'])[1 + g % 4],
                    (g % 1000) / 10.0, now() - make_interval(mins => g)
             FROM generate_series(1, 50000) g;
             ANALYZE invoices;",
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}
