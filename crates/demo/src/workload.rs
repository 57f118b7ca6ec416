//! A workload simulator: concurrent "application" sessions running the CRM's parameterised
//! statements with real values, so `pg_stat_statements` (and pg_qualstats) fill up the way
//! they would in production.
//!
//! Statements are chosen by weight, tenants by size (big tenants issue more queries), values
//! from samples taken once at the start. Build the pool with [`connect_options`] so its
//! sessions are named `crm-app` from the first statement; `run` also sets the name on the
//! connections it uses, for pools built otherwise.

mod params;
mod statements;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::distributions::WeightedIndex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};
use sqlx::{Executor as _, PgConnection, PgPool, Postgres};
use tokio::sync::watch;

use crate::error::{describe_sqlx, DemoError, Result};
use params::Params;
use statements::{Template, TEMPLATES};

/// `application_name` of the simulated application, to tell its statements from others.
pub const APPLICATION_NAME: &str = "crm-app";
/// Errors kept verbatim in the report; the rest are only counted.
const KEPT_ERRORS: usize = 10;
/// A session that fails this many statements in a row gives up (the server is gone).
const MAX_CONSECUTIVE_ERRORS: u32 = 20;

/// How long and how hard to run. With neither `max_statements` nor `duration`, runs until
/// the stop signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadOptions {
    /// Concurrent sessions, capped by the pool's `max_connections`.
    pub concurrency: usize,
    /// Stop after this many statements in total.
    pub max_statements: Option<u64>,
    /// Stop after this long.
    pub duration: Option<Duration>,
    /// Seed for statement, tenant and value choices; `None` = random.
    pub seed: Option<u64>,
}

impl Default for WorkloadOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_statements: None,
            duration: None,
            seed: None,
        }
    }
}

/// Executions of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateReport {
    pub name: &'static str,
    pub sql: &'static str,
    pub executed: u64,
    pub errors: u64,
    pub total_time: Duration,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadReport {
    pub elapsed: Duration,
    /// Statements attempted (successes and errors).
    pub executed: u64,
    pub errors: u64,
    /// One entry per statement of the application, executed or not.
    pub templates: Vec<TemplateReport>,
    /// The first few error messages, prefixed with the statement name.
    pub first_errors: Vec<String>,
}

/// Connection options for a pool of the simulated application (`application_name` set).
pub fn connect_options(url: &str) -> Result<PgConnectOptions> {
    let options: PgConnectOptions = url.parse()?;
    Ok(options.application_name(APPLICATION_NAME))
}

/// A pool of the simulated application with room for `concurrency` sessions.
pub async fn connect(url: &str, concurrency: u32) -> Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(concurrency.max(1))
        .connect_with(connect_options(url)?)
        .await?;
    Ok(pool)
}

/// Runs the workload until `max_statements`, `duration` or `stop` turns true, whichever
/// comes first. Fails only if the dataset is missing or no connection can be had; statement
/// errors are counted in the report.
pub async fn run(
    pool: &PgPool,
    opts: WorkloadOptions,
    stop: watch::Receiver<bool>,
) -> Result<WorkloadReport> {
    let started = Instant::now();
    let seed = opts.seed.unwrap_or_else(|| rand::thread_rng().gen());
    let params = Arc::new(params::sample(pool, seed).await?);
    let max_sessions = usize::try_from(pool.options().get_max_connections()).unwrap_or(usize::MAX);
    let sessions = opts.concurrency.clamp(1, max_sessions.max(1));
    let budget = Arc::new(Budget {
        issued: AtomicU64::new(0),
        max: opts.max_statements,
    });
    let deadline = opts.duration.map(|d| started + d);

    let mut tasks = Vec::with_capacity(sessions);
    for index in (0u64..).take(sessions) {
        let conn = pool.acquire().await?;
        let session = Session {
            params: Arc::clone(&params),
            budget: Arc::clone(&budget),
            rng: StdRng::seed_from_u64(seed.wrapping_add(index)),
            stop: stop.clone(),
            deadline,
        };
        tasks.push(tokio::spawn(session.run(conn)));
    }

    let mut report = WorkloadReport {
        elapsed: Duration::ZERO,
        executed: 0,
        errors: 0,
        templates: TEMPLATES
            .iter()
            .map(|t| TemplateReport {
                name: t.name,
                sql: t.sql,
                executed: 0,
                errors: 0,
                total_time: Duration::ZERO,
            })
            .collect(),
        first_errors: Vec::new(),
    };
    for task in tasks {
        let tally = task.await.map_err(|e| DemoError::Workload(e.to_string()))?;
        tally.add_to(&mut report);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The statement budget shared by all sessions.
struct Budget {
    issued: AtomicU64,
    max: Option<u64>,
}

impl Budget {
    /// Claims one statement; false once the budget is spent.
    fn claim(&self) -> bool {
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        self.max.is_none_or(|max| n < max)
    }
}

/// One simulated application session on its own connection.
struct Session {
    params: Arc<Params>,
    budget: Arc<Budget>,
    rng: StdRng,
    stop: watch::Receiver<bool>,
    deadline: Option<Instant>,
}

impl Session {
    async fn run(mut self, mut conn: PoolConnection<Postgres>) -> Tally {
        let mut tally = Tally::new();
        if let Err(e) = execute(&mut conn, sqlx::raw_sql("SET application_name = 'crm-app'")).await
        {
            tally.note("set application_name", &e);
            return tally;
        }
        let choice = WeightedIndex::new(TEMPLATES.iter().map(|t| t.weight));
        let Ok(choice) = choice else { return tally };
        let mut consecutive_errors = 0;
        while !*self.stop.borrow()
            && self.deadline.is_none_or(|d| Instant::now() < d)
            && self.budget.claim()
        {
            let index = self.rng.sample(&choice);
            let template: &Template = &TEMPLATES[index];
            let tenant = self.params.tenant(&mut self.rng);
            let query = (template.bind)(sqlx::query(template.sql), tenant, &mut self.rng);
            let began = Instant::now();
            let outcome = execute(&mut conn, query).await;
            tally.executed[index] += 1;
            tally.time[index] += began.elapsed();
            match outcome {
                Ok(_) => consecutive_errors = 0,
                Err(e) => {
                    tally.error(index, template.name, &e);
                    consecutive_errors += 1;
                    if consecutive_errors >= MAX_CONSECUTIVE_ERRORS {
                        break;
                    }
                }
            }
        }
        // Hand the connection back to the pool under the name it was opened with.
        let _ = execute(&mut conn, sqlx::raw_sql("RESET application_name")).await;
        tally
    }
}

/// Runs one statement through `Executor::execute`, whose boxed future is proven `Send` here,
/// with concrete lifetimes. Written inline in the spawned session (`query.execute(&mut *conn)`),
/// rustc fails with "implementation of `Executor` is not general enough".
fn execute<'c, 'q: 'c, Q>(
    conn: &'c mut PgConnection,
    statement: Q,
) -> Pin<Box<dyn Future<Output = std::result::Result<PgQueryResult, sqlx::Error>> + Send + 'c>>
where
    Q: sqlx::Execute<'q, Postgres> + 'q,
{
    conn.execute(statement)
}

/// Per-session counts, merged into the report at the end (no shared locks while running).
struct Tally {
    executed: Vec<u64>,
    errors: Vec<u64>,
    time: Vec<Duration>,
    messages: Vec<String>,
}

impl Tally {
    fn new() -> Self {
        let n = TEMPLATES.len();
        Self {
            executed: vec![0; n],
            errors: vec![0; n],
            time: vec![Duration::ZERO; n],
            messages: Vec::new(),
        }
    }

    fn error(&mut self, index: usize, name: &str, err: &sqlx::Error) {
        self.errors[index] += 1;
        self.note(name, err);
    }

    fn note(&mut self, name: &str, err: &sqlx::Error) {
        if self.messages.len() < KEPT_ERRORS {
            self.messages
                .push(format!("{name}: {}", describe_sqlx(err)));
        }
    }

    fn add_to(self, report: &mut WorkloadReport) {
        for (i, entry) in report.templates.iter_mut().enumerate() {
            entry.executed += self.executed[i];
            entry.errors += self.errors[i];
            entry.total_time += self.time[i];
        }
        report.executed += self.executed.iter().sum::<u64>();
        report.errors += self.errors.iter().sum::<u64>();
        let room = KEPT_ERRORS.saturating_sub(report.first_errors.len());
        report
            .first_errors
            .extend(self.messages.into_iter().take(room));
    }
}
