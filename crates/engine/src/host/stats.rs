//! Query statistics logged by a host application: which tenant touched which field of which
//! table, how, and for how long. The application calls [`StatsLogger::log`] on its hot path,
//! so logging must never wait for the database or fail: rows go into a bounded queue and a
//! background task writes them in batches. When the database cannot be reached, rows stay
//! in a bounded retry buffer and are written once it is back; what cannot be kept is dropped
//! and counted, never thrown at the caller.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// One query the host application ran, as it knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryStat {
    /// The tenant the query ran for (`None` for queries that span tenants).
    pub tenant_id: Option<String>,
    /// The table's schema; `None` means `public`.
    pub schema: Option<String>,
    pub table: String,
    /// The field the query filtered or sorted on, if one stands out.
    pub field: Option<String>,
    pub query_type: QueryType,
    pub duration: Duration,
    pub recorded_at: DateTime<Utc>,
}

impl QueryStat {
    /// A statistic recorded now, for `schema.table` (no tenant, no field).
    pub fn new(table: impl Into<String>, query_type: QueryType, duration: Duration) -> Self {
        QueryStat {
            tenant_id: None,
            schema: None,
            table: table.into(),
            field: None,
            query_type,
            duration,
            recorded_at: Utc::now(),
        }
    }

    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryType {
    Select,
    Insert,
    Update,
    Delete,
    Upsert,
}

impl QueryType {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::Select => "select",
            QueryType::Insert => "insert",
            QueryType::Update => "update",
            QueryType::Delete => "delete",
            QueryType::Upsert => "upsert",
        }
    }
}

/// How the logger batches and how much it keeps while the database is away.
#[derive(Debug, Clone)]
pub struct StatsLoggerOptions {
    /// Rows written by one INSERT.
    pub batch_size: usize,
    /// A partial batch is written after this long.
    pub flush_interval: Duration,
    /// Rows waiting to be picked up by the writer; a call finding it full drops its row.
    pub queue_capacity: usize,
    /// Rows kept for retry while writes fail; the oldest go first beyond it.
    pub retry_capacity: usize,
    /// First wait after a failed write; it doubles up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// One write (connection included) may take this long before it counts as failed.
    pub write_timeout: Duration,
}

impl Default for StatsLoggerOptions {
    fn default() -> Self {
        StatsLoggerOptions {
            batch_size: 500,
            flush_interval: Duration::from_secs(1),
            queue_capacity: 65_536,
            retry_capacity: 100_000,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            write_timeout: Duration::from_secs(5),
        }
    }
}

/// What became of the rows given to the logger so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatsCounters {
    /// Calls to [`StatsLogger::log`].
    pub accepted: u64,
    /// Rows stored in `indexpilot.query_stats`.
    pub written: u64,
    /// Rows dropped because the queue was full when they were logged.
    pub dropped_queue_full: u64,
    /// Rows dropped because the retry buffer was full while the database was away.
    pub dropped_retry_full: u64,
    /// Rows refused because they name no table.
    pub rejected: u64,
    /// Writes that failed (each is retried).
    pub failed_writes: u64,
}

impl StatsCounters {
    /// Rows accepted but neither written nor dropped yet.
    pub fn pending(&self) -> u64 {
        self.accepted.saturating_sub(
            self.written + self.dropped_queue_full + self.dropped_retry_full + self.rejected,
        )
    }
}

#[derive(Default)]
struct Counters {
    accepted: AtomicU64,
    written: AtomicU64,
    dropped_queue_full: AtomicU64,
    dropped_retry_full: AtomicU64,
    rejected: AtomicU64,
    failed_writes: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> StatsCounters {
        StatsCounters {
            accepted: self.accepted.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            dropped_queue_full: self.dropped_queue_full.load(Ordering::Relaxed),
            dropped_retry_full: self.dropped_retry_full.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            failed_writes: self.failed_writes.load(Ordering::Relaxed),
        }
    }
}

enum Message {
    Stat(QueryStat),
    /// Write everything received so far (one attempt), then answer.
    Flush(oneshot::Sender<()>),
    /// Take nothing more; write what is left and end.
    Shutdown,
}

/// Batches [`QueryStat`]s into `indexpilot.query_stats` from a background task.
///
/// Cloning is cheap: every clone feeds the same task. The task ends, after a last write,
/// when [`StatsLogger::shutdown`] is called or every clone is dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("stats_logger").await?;
/// use indexpilot_engine::host::{QueryStat, QueryType, StatsLogger, StatsLoggerOptions};
/// use std::time::Duration;
///
/// indexpilot_engine::host::create_metadata_schema(&pool).await?;
/// let logger = StatsLogger::start(pool.clone(), StatsLoggerOptions::default());
///
/// // On the application's hot path: returns at once, never fails.
/// logger.log(
///     QueryStat::new("orders", QueryType::Select, Duration::from_millis(12))
///         .tenant("42")
///         .field("customer_id"),
/// );
///
/// let counters = logger.shutdown().await;
/// assert_eq!(counters.written, 1);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct StatsLogger {
    queue: mpsc::Sender<Message>,
    counters: Arc<Counters>,
    task: Arc<std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl StatsLogger {
    /// Starts the writer on the current Tokio runtime.
    ///
    /// # Panics
    /// Outside a Tokio runtime, like `tokio::spawn`.
    pub fn start(pool: PgPool, options: StatsLoggerOptions) -> Self {
        let (queue, rx) = mpsc::channel(options.queue_capacity.max(1));
        let counters = Arc::new(Counters::default());
        let writer = Writer {
            pool,
            options,
            counters: counters.clone(),
            buffer: VecDeque::new(),
            backoff: None,
            retry_at: None,
        };
        let task = tokio::spawn(writer.run(rx));
        StatsLogger {
            queue,
            counters,
            task: Arc::new(std::sync::Mutex::new(Some(task))),
        }
    }

    /// Hands one statistic to the writer. Never waits and never fails: when the queue is
    /// full the row is dropped and counted in `dropped_queue_full`.
    pub fn log(&self, stat: QueryStat) {
        self.counters.accepted.fetch_add(1, Ordering::Relaxed);
        if stat.table.trim().is_empty() {
            self.counters.rejected.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if self.queue.try_send(Message::Stat(stat)).is_err() {
            self.counters
                .dropped_queue_full
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn counters(&self) -> StatsCounters {
        self.counters.snapshot()
    }

    /// Makes one attempt to write everything logged before this call, then reports. Rows a
    /// failed write kept are still pending (retried later), so this never fails either.
    pub async fn flush(&self) -> StatsCounters {
        let (ack, done) = oneshot::channel();
        if self.queue.send(Message::Flush(ack)).await.is_ok() {
            let _ = done.await;
        }
        self.counters()
    }

    /// Stops taking rows, writes what is left (retrying while `options.write_timeout`
    /// allows; what still cannot be written is counted as dropped) and ends the writer.
    /// Rows that other clones log afterwards are dropped and counted in
    /// `dropped_queue_full`.
    pub async fn shutdown(self) -> StatsCounters {
        let task = self.task.lock().ok().and_then(|mut t| t.take());
        // An error means the writer has already ended.
        let _ = self.queue.send(Message::Shutdown).await;
        if let Some(task) = task {
            let _ = task.await;
        }
        self.counters()
    }
}

struct Writer {
    pool: PgPool,
    options: StatsLoggerOptions,
    counters: Arc<Counters>,
    /// Received, not yet written (oldest first).
    buffer: VecDeque<QueryStat>,
    backoff: Option<Duration>,
    retry_at: Option<Instant>,
}

impl Writer {
    async fn run(mut self, mut rx: mpsc::Receiver<Message>) {
        let mut tick = tokio::time::interval(self.options.flush_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                message = rx.recv() => match message {
                    Some(Message::Stat(stat)) => {
                        self.push(stat);
                        if self.buffer.len() >= self.options.batch_size && self.may_write() {
                            self.write_full_batches().await;
                        }
                    }
                    Some(Message::Flush(ack)) => {
                        while let Ok(Message::Stat(stat)) = rx.try_recv() {
                            self.push(stat);
                        }
                        self.write_all().await;
                        let _ = ack.send(());
                    }
                    Some(Message::Shutdown) => {
                        rx.close();
                        while let Some(m) = rx.recv().await {
                            match m {
                                Message::Stat(stat) => self.push(stat),
                                Message::Flush(ack) => drop(ack.send(())),
                                Message::Shutdown => {}
                            }
                        }
                        break;
                    }
                    None => break,
                },
                _ = tick.tick() => {
                    if !self.buffer.is_empty() && self.may_write() {
                        self.write_all().await;
                    }
                }
            }
        }
        // Shut down, or every handle is gone: a last attempt, retried within one write timeout.
        let deadline = Instant::now() + self.options.write_timeout;
        while !self.buffer.is_empty() && Instant::now() < deadline {
            if self.may_write() {
                self.write_all().await;
            } else if let Some(at) = self.retry_at {
                tokio::time::sleep_until(at.min(deadline)).await;
            }
        }
        if !self.buffer.is_empty() {
            let lost = self.buffer.len() as u64;
            self.counters
                .dropped_retry_full
                .fetch_add(lost, Ordering::Relaxed);
            tracing::warn!(
                rows = lost,
                "query statistics dropped at shutdown: the database could not be reached"
            );
        }
    }

    /// While writes fail, the buffer is held to its capacity as rows arrive, not only when
    /// the next attempt fails: a long backoff under a heavy load must not grow it unbounded.
    fn push(&mut self, stat: QueryStat) {
        self.buffer.push_back(stat);
        if self.retry_at.is_some() {
            self.trim_to_capacity();
        }
    }

    fn may_write(&self) -> bool {
        self.retry_at.is_none_or(|at| Instant::now() >= at)
    }

    async fn write_full_batches(&mut self) {
        while self.buffer.len() >= self.options.batch_size {
            if !self.write_batch().await {
                return;
            }
        }
    }

    async fn write_all(&mut self) {
        while !self.buffer.is_empty() {
            if !self.write_batch().await {
                return;
            }
        }
    }

    /// Writes the oldest batch; false when the write failed (the rows stay for retry).
    async fn write_batch(&mut self) -> bool {
        let n = self.buffer.len().min(self.options.batch_size.max(1));
        let write = insert(&self.pool, &self.buffer.make_contiguous()[..n]);
        let failure = match tokio::time::timeout(self.options.write_timeout, write).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("timed out".to_string()),
        };
        match failure {
            None => {
                self.buffer.drain(..n);
                self.counters.written.fetch_add(n as u64, Ordering::Relaxed);
                self.backoff = None;
                self.retry_at = None;
                true
            }
            Some(reason) => {
                self.counters.failed_writes.fetch_add(1, Ordering::Relaxed);
                let backoff = self.backoff.map_or(self.options.backoff, |b| {
                    (b * 2).min(self.options.max_backoff)
                });
                self.backoff = Some(backoff);
                self.retry_at = Some(Instant::now() + backoff);
                self.trim_to_capacity();
                tracing::warn!(%reason, pending = self.buffer.len(), retry_in_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    "query statistics not written; will retry");
                false
            }
        }
    }

    /// Past the retry capacity the oldest rows go: recent ones say more about the workload.
    fn trim_to_capacity(&mut self) {
        let excess = self
            .buffer
            .len()
            .saturating_sub(self.options.retry_capacity);
        if excess > 0 {
            self.buffer.drain(..excess);
            self.counters
                .dropped_retry_full
                .fetch_add(excess as u64, Ordering::Relaxed);
        }
    }
}

/// One INSERT for the whole batch, tagged so the workload analysis leaves it out.
async fn insert(pool: &PgPool, rows: &[QueryStat]) -> Result<(), sqlx::Error> {
    let mut at = Vec::with_capacity(rows.len());
    let mut tenant = Vec::with_capacity(rows.len());
    let mut schema = Vec::with_capacity(rows.len());
    let mut table = Vec::with_capacity(rows.len());
    let mut field = Vec::with_capacity(rows.len());
    let mut kind = Vec::with_capacity(rows.len());
    let mut ms = Vec::with_capacity(rows.len());
    for r in rows {
        at.push(r.recorded_at);
        tenant.push(r.tenant_id.clone());
        schema.push(r.schema.clone().unwrap_or_else(|| "public".to_string()));
        table.push(r.table.clone());
        field.push(r.field.clone());
        kind.push(r.query_type.as_str());
        ms.push(r.duration.as_secs_f64() * 1000.0);
    }
    sqlx::query(
        "INSERT /* indexpilot */ INTO indexpilot.query_stats
             (source, recorded_at, tenant_id, schema_name, table_name, field_name, query_type, duration_ms)
         SELECT 'host', * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[],
                                      $5::text[], $6::text[], $7::float8[])",
    )
    .bind(&at)
    .bind(&tenant)
    .bind(&schema)
    .bind(&table)
    .bind(&field)
    .bind(&kind)
    .bind(&ms)
    .execute(pool)
    .await?;
    Ok(())
}
