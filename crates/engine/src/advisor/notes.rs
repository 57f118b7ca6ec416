//! Notes: facts about the server, not about any one index, that the proposals depend on.
//!
//! The advisor prices every plan with the server's own cost settings, because those decide
//! which plan the server runs. When the settings misdescribe the machine, the cheapest plan
//! on paper is not the fastest one, and no index set fixes that: the DBA should know.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use ts_rs::TS;

/// Stable codes: scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteCode {
    /// `random_page_cost` prices index lookups as disk reads on a database served from
    /// memory.
    RandomPageCost,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Note {
    pub code: NoteCode,
    pub detail: String,
}

/// Block reads below this many say nothing yet about the cache.
const MIN_READS: f64 = 10_000.0;
/// Share of block reads served by shared buffers from which the data counts as cached.
const CACHED: f64 = 0.99;
/// `random_page_cost / seq_page_cost` from which random reads are priced as disk reads.
const DISK_RATIO: f64 = 2.0;

/// The server's cost settings and this database's buffer hits, as `notes` reads them.
#[derive(Debug, Clone, Copy)]
pub struct CacheFacts {
    pub random_page_cost: f64,
    pub seq_page_cost: f64,
    pub blocks_hit: f64,
    pub blocks_read: f64,
}

pub async fn read(pool: &PgPool) -> Result<CacheFacts> {
    let (random_page_cost, seq_page_cost, blocks_hit, blocks_read): (f64, f64, f64, f64) =
        sqlx::query_as(
            "SELECT /* indexpilot */ current_setting('random_page_cost')::float8,
                    current_setting('seq_page_cost')::float8,
                    blks_hit::float8, blks_read::float8
             FROM pg_stat_database WHERE datname = current_database()",
        )
        .fetch_one(pool)
        .await?;
    Ok(CacheFacts {
        random_page_cost,
        seq_page_cost,
        blocks_hit,
        blocks_read,
    })
}

pub fn notes(f: &CacheFacts) -> Vec<Note> {
    let mut out = Vec::new();
    let reads = f.blocks_hit + f.blocks_read;
    let hit = if reads > 0.0 {
        f.blocks_hit / reads
    } else {
        0.0
    };
    if reads >= MIN_READS
        && hit >= CACHED
        && f.seq_page_cost > 0.0
        && f.random_page_cost / f.seq_page_cost >= DISK_RATIO
    {
        out.push(Note {
            code: NoteCode::RandomPageCost,
            detail: format!(
                "random_page_cost is {} (seq_page_cost {}) while {:.1}% of this database's \
                 block reads hit shared buffers: the planner prices index lookups as disk reads \
                 and may keep sequential scans and hash joins that run slower than the index \
                 plans, these proposals' included. On cached data or SSDs 1.1 is usual: ALTER \
                 DATABASE … SET random_page_cost = 1.1 (or in postgresql.conf), then advise \
                 again.",
                f.random_page_cost,
                f.seq_page_cost,
                (hit * 1000.0).floor() / 10.0
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(rpc: f64, hit: f64, read: f64) -> CacheFacts {
        CacheFacts {
            random_page_cost: rpc,
            seq_page_cost: 1.0,
            blocks_hit: hit,
            blocks_read: read,
        }
    }

    #[test]
    fn a_cached_database_priced_as_disk_gets_a_note() {
        let n = notes(&facts(4.0, 999_000.0, 1_000.0));
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].code, NoteCode::RandomPageCost);
        assert!(
            n[0].detail.contains("random_page_cost is 4 "),
            "{}",
            n[0].detail
        );
        assert!(n[0].detail.contains("99.9%"), "{}", n[0].detail);
    }

    #[test]
    fn no_note_when_tuned_uncached_or_too_few_reads() {
        assert!(notes(&facts(1.1, 999_000.0, 1_000.0)).is_empty());
        assert!(notes(&facts(4.0, 900_000.0, 100_000.0)).is_empty());
        assert!(notes(&facts(4.0, 5_000.0, 0.0)).is_empty());
    }
}
