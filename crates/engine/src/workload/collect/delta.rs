//! Per-interval deltas from cumulative pg_stat_statements counters. Pure, so every reset and
//! eviction case is unit-tested: a delta is never negative and never counts a call twice.

use std::collections::HashMap;

/// Cumulative counters of one statement (one pg_stat_statements entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Counters {
    pub queryid: i64,
    pub userid: i64,
    pub toplevel: bool,
    pub calls: i64,
    pub total_exec_ms: f64,
    pub rows: i64,
    pub shared_blks_hit: i64,
    pub shared_blks_read: i64,
}

impl Counters {
    pub fn key(&self) -> (i64, i64, bool) {
        (self.queryid, self.userid, self.toplevel)
    }
}

/// How the previous snapshot relates to the current counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// No previous snapshot: the counters cover an unknown window, so nothing is recorded.
    None,
    /// pg_stat_statements was reset since the previous snapshot: counters start from zero.
    Reset,
    /// The normal case.
    Previous,
}

/// Deltas between `previous` and `current`. An entry whose calls went down was evicted and
/// re-added (or reset): its counters are counted from zero, which is exactly what happened
/// since it came back. An entry absent from the previous snapshot is new since then.
pub fn deltas(
    previous: &HashMap<(i64, i64, bool), Counters>,
    current: &[Counters],
    baseline: Baseline,
) -> Vec<Counters> {
    if baseline == Baseline::None {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in current {
        let d = match (baseline, previous.get(&c.key())) {
            (Baseline::Reset, _) | (_, None) => c.clone(),
            (_, Some(p)) if c.calls < p.calls => c.clone(),
            (_, Some(p)) => Counters {
                queryid: c.queryid,
                userid: c.userid,
                toplevel: c.toplevel,
                calls: c.calls - p.calls,
                total_exec_ms: (c.total_exec_ms - p.total_exec_ms).max(0.0),
                rows: (c.rows - p.rows).max(0),
                shared_blks_hit: (c.shared_blks_hit - p.shared_blks_hit).max(0),
                shared_blks_read: (c.shared_blks_read - p.shared_blks_read).max(0),
            },
        };
        if d.calls > 0 {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(queryid: i64, calls: i64, ms: f64) -> Counters {
        Counters {
            queryid,
            userid: 10,
            toplevel: true,
            calls,
            total_exec_ms: ms,
            rows: calls,
            shared_blks_hit: calls * 2,
            shared_blks_read: calls,
        }
    }

    fn prev(list: &[Counters]) -> HashMap<(i64, i64, bool), Counters> {
        list.iter().map(|x| (x.key(), x.clone())).collect()
    }

    #[test]
    fn normal_interval_subtracts() {
        let d = deltas(
            &prev(&[c(1, 10, 100.0)]),
            &[c(1, 15, 160.0)],
            Baseline::Previous,
        );
        assert_eq!((d[0].calls, d[0].total_exec_ms, d[0].rows), (5, 60.0, 5));
    }

    #[test]
    fn unchanged_statements_record_nothing() {
        assert!(deltas(
            &prev(&[c(1, 10, 100.0)]),
            &[c(1, 10, 100.0)],
            Baseline::Previous
        )
        .is_empty());
    }

    #[test]
    fn first_collection_is_only_a_baseline() {
        assert!(deltas(&HashMap::new(), &[c(1, 10, 100.0)], Baseline::None).is_empty());
    }

    #[test]
    fn a_reset_counts_from_zero_never_negative() {
        let d = deltas(&prev(&[c(1, 10, 100.0)]), &[c(1, 3, 30.0)], Baseline::Reset);
        assert_eq!((d[0].calls, d[0].total_exec_ms), (3, 30.0));
        // Even a reset missed by the reset marker (calls went down) never goes negative.
        let d = deltas(
            &prev(&[c(1, 10, 100.0)]),
            &[c(1, 3, 30.0)],
            Baseline::Previous,
        );
        assert_eq!(d[0].calls, 3);
        assert!(d
            .iter()
            .all(|x| x.calls > 0 && x.total_exec_ms >= 0.0 && x.rows >= 0));
    }

    #[test]
    fn a_reset_with_more_calls_than_before_is_not_doubled() {
        // After a reset the entry already has 12 calls: those 12 are the interval, not 12 - 10.
        let d = deltas(
            &prev(&[c(1, 10, 100.0)]),
            &[c(1, 12, 50.0)],
            Baseline::Reset,
        );
        assert_eq!((d[0].calls, d[0].total_exec_ms), (12, 50.0));
    }

    #[test]
    fn new_and_evicted_entries() {
        let d = deltas(
            &prev(&[c(1, 10, 100.0), c(2, 5, 5.0)]),
            &[c(1, 11, 101.0), c(3, 4, 8.0)],
            Baseline::Previous,
        );
        let calls: Vec<(i64, i64)> = d.iter().map(|x| (x.queryid, x.calls)).collect();
        assert_eq!(calls, [(1, 1), (3, 4)]);
    }
}
