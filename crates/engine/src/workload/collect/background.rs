//! The collector as a background task, for the desktop app while a connection is open: one
//! collection per interval until stopped, each result handed to a callback (for the UI).

use super::{collect_once, sample_activity, CollectReport};
use crate::error::Result;
use sqlx::PgPool;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Between collections, running statements are sampled this often (see `samples`). A
/// statement is sampled when a sample finds it running or last run on some connection, so
/// a statement that takes a small share of the connections' time needs many samples to be
/// seen: at four a second, one that holds 2% of four connections is seen within a minute
/// almost surely, where once a second misses it one time in five over the first 20
/// seconds. Each sample is one read of `pg_stat_activity` (shared memory) and an insert of
/// the query ids not seen before.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// A running background collector. Dropping the handle stops it.
pub struct Collector {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Collector {
    /// Starts collecting every `every` (the first collection immediately).
    pub fn start(
        pool: PgPool,
        every: Duration,
        on_report: impl Fn(Result<CollectReport>) + Send + Sync + 'static,
    ) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut sample = tokio::time::interval(SAMPLE_EVERY);
            sample.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tokio::select! {
                    _ = tick.tick() => on_report(collect_once(&pool).await),
                    // Samples are a best effort between collections; a failure shows in the
                    // next collection's report.
                    _ = sample.tick() => { let _ = sample_activity(&pool).await; }
                    _ = stopped.changed() => break,
                }
            }
        });
        Collector {
            stop,
            task: Some(task),
        }
    }

    /// Stops after the collection in progress, if any, and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
