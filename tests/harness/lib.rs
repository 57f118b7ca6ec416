//! The test harness: one throwaway PostgreSQL per test run (started on first use, stopped
//! when the test process exits), a fresh database per test, and a runner for the real
//! `indexpilot` binary.
//!
//! Nothing here depends on a server someone started by hand, and nothing is skipped: when
//! PostgreSQL or an extension is missing, the first test that needs it fails and says how
//! to install it.

pub mod bench;
pub mod cli;
pub mod proxy;
pub mod snapshot;

use indexpilot_demo::cluster::{Cluster, ClusterOptions};
use indexpilot_engine::ConnectOptions;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The superuser password of the test cluster: TCP connections use scram-sha-256, so wrong
/// passwords are really refused.
pub const PASSWORD: &str = "harness-pw-4e1c";

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        let opts = ClusterOptions {
            password: Some(PASSWORD.to_string()),
            preload: vec!["pg_stat_statements".to_string()],
            ..ClusterOptions::default()
        };
        let cluster = Cluster::start(opts).unwrap_or_else(|e| {
            panic!("cannot start the test PostgreSQL: {e} (install it with: bash .ci/install-system-deps)")
        });
        stop_at_exit();
        cluster
    })
}

/// A database created for one test.
pub struct TestDb {
    pub name: String,
    pub url: String,
    pub pool: PgPool,
}

impl TestDb {
    /// Runs SQL (several statements allowed) as the superuser.
    pub async fn exec(&self, sql: &str) {
        sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("fixture SQL failed: {e}\n{sql}"));
    }

    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"))
    }

    /// The text of every pg_stat_statements entry of this database.
    pub async fn statement_texts(&self) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT query FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_all(&self.pool)
        .await
        .unwrap_or_else(|e| panic!("reading pg_stat_statements: {e}"))
    }

    /// Another session takes `table`'s ACCESS EXCLUSIVE lock (what a migration's `ALTER
    /// TABLE` takes) now and releases it after `held`: await the handle to know it has.
    pub async fn hold_exclusive_lock(
        &self,
        table: &str,
        held: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let mut holder = self.pool.begin().await.expect("a session to hold the lock");
        sqlx::query(&format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            .execute(&mut *holder)
            .await
            .unwrap_or_else(|e| panic!("LOCK TABLE {table}: {e}"));
        tokio::spawn(async move {
            tokio::time::sleep(held).await;
            holder.rollback().await.expect("the lock released");
        })
    }

    /// The URL with a different user and password (for privilege and password tests).
    pub fn url_as(&self, user: &str, password: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{}",
            cluster().port(),
            self.name
        )
    }
}

/// A fresh, empty database with pg_stat_statements created in it.
pub async fn fresh_db() -> TestDb {
    let c = cluster();
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    let url = c
        .create_database(&name)
        .await
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let opts = ConnectOptions::resolve(Some(&url)).expect("harness URL parses");
    let pool = indexpilot_engine::connect(&opts)
        .await
        .expect("connect to the fresh database");
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&pool)
        .await
        .expect("pg_stat_statements must be available (postgresql-contrib)");
    TestDb { name, url, pool }
}

/// The steps an engine run reported, in order (a [`indexpilot_engine::Progress`] that
/// records what the desktop app would show).
#[derive(Default)]
pub struct Steps(std::sync::Mutex<Vec<String>>);

impl Steps {
    pub fn seen(&self) -> Vec<String> {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl indexpilot_engine::Progress for Steps {
    fn step(&self, step: &str, _: f64) {
        if let Ok(mut s) = self.0.lock() {
            s.push(step.to_string());
        }
    }
}

/// Stops the cluster when the test process exits: the standard test harness ends with
/// `std::process::exit`, which runs `atexit` handlers but no destructors of statics.
fn stop_at_exit() {
    extern "C" fn stop() {
        if let Some(c) = CLUSTER.get() {
            let _ = c.stop();
            let _ = std::fs::remove_dir_all(c.data_dir());
        }
    }
    // SAFETY: registering a plain `extern "C" fn` with no captured state is sound; the
    // handler only reads a OnceLock that is fully initialised before registration.
    #[allow(unsafe_code)]
    unsafe {
        libc::atexit(stop);
    }
}

/// Makes this session's table and index statistics visible to others now: PostgreSQL 15+
/// flushes them on request; 13 and 14 send them to the collector at transaction end, which
/// a test then polls for.
pub async fn flush_stats(conn: &mut sqlx::PgConnection) {
    sqlx::raw_sql(
        "DO $$ BEGIN
           IF to_regproc('pg_stat_force_next_flush') IS NOT NULL THEN
             PERFORM pg_stat_force_next_flush();
           END IF;
         END $$",
    )
    .execute(conn)
    .await
    .unwrap_or_else(|e| panic!("flushing statistics failed: {e}"));
}
