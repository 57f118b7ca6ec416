//! Measured time in the objective. The planner's cost is a model: it prices a sequential
//! scan under `LIMIT 21` as stopping after a few pages although every real call reads the
//! whole table (the rows it wants are not there), and it prices cached pages as reads from
//! disk. pg_stat_statements measured what each statement really took. The selection ranks
//! savings in estimated milliseconds: each statement's measured time, scaled by the
//! planner's ratio of its cost with and without the indexes (`time × after / before`).
//!
//! A statement's weight is its measured mean time per unit of its planned cost. Write
//! overhead, modelled in cost units, is converted at the workload's overall rate (measured
//! time over planned cost). Where nothing was measured (a host application's statements
//! without times), a statement is weighed at that overall rate; with no measured time at
//! all, every weight is 1 and the objective is the planner's cost, as before.

use super::candidates::Statement;

/// A statement's weight stays within this factor of the workload's overall rate: a mean
/// over a handful of calls (one cold read from disk, one wait for a lock) is a noisy figure.
const MAX_SKEW: f64 = 100.0;

#[derive(Debug, Clone)]
pub struct TimeScale {
    /// Milliseconds per unit of planner cost, per statement.
    weights: Vec<f64>,
    /// The workload's overall rate (for write overhead and unmeasured statements).
    overall: f64,
    /// Whether any statement had a measured time.
    pub measured: bool,
}

impl TimeScale {
    /// From the statements' measured times and their planned costs with no new index.
    pub fn new(statements: &[Statement], base: &[Option<f64>]) -> Self {
        let timed = |i: usize| {
            let s = &statements[i];
            match base[i] {
                Some(cost) if s.total_ms > 0.0 && s.calls > 0.0 && cost > 0.0 => {
                    Some((s.total_ms, s.calls * cost))
                }
                _ => None,
            }
        };
        let (ms, cost) = (0..statements.len())
            .filter_map(timed)
            .fold((0.0, 0.0), |(m, c), (tm, tc)| (m + tm, c + tc));
        if ms <= 0.0 || cost <= 0.0 {
            return TimeScale {
                weights: vec![1.0; statements.len()],
                overall: 1.0,
                measured: false,
            };
        }
        let overall = ms / cost;
        let weights = (0..statements.len())
            .map(|i| {
                timed(i).map_or(overall, |(m, c)| {
                    (m / c).clamp(overall / MAX_SKEW, overall * MAX_SKEW)
                })
            })
            .collect();
        TimeScale {
            weights,
            overall,
            measured: true,
        }
    }

    /// The objective's value of `cost` planner units on every call of statement `i`.
    pub fn weighted(&self, statements: &[Statement], i: usize, cost: f64) -> f64 {
        statements[i].calls * cost * self.weights.get(i).copied().unwrap_or(self.overall)
    }

    /// The objective's value of `cost` units of write overhead.
    pub fn overhead(&self, cost: f64) -> f64 {
        cost * self.overall
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::analyse::{Analysis, StatementKind};

    fn statement(calls: f64, total_ms: f64) -> Statement {
        Statement {
            queryid: 0,
            query: String::new(),
            calls,
            rows: 0.0,
            total_ms,
            analysis: Analysis {
                kind: StatementKind::Select,
                tables: vec![],
                columns: vec![],
                warnings: vec![],
                error: None,
            },
            sample: None,
        }
    }

    #[test]
    fn a_statement_slower_than_its_cost_weighs_more() {
        // Both cost 100 a call; the second really takes ten times as long per call.
        let s = vec![statement(10.0, 10.0), statement(10.0, 100.0)];
        let t = TimeScale::new(&s, &[Some(100.0), Some(100.0)]);
        assert!(t.measured);
        // Saving half of each: the second's saving is worth ten times the first's.
        let a = t.weighted(&s, 0, 50.0);
        let b = t.weighted(&s, 1, 50.0);
        assert!((a - 5.0).abs() < 1e-9, "{a}");
        assert!((b - 50.0).abs() < 1e-9, "{b}");
        // Overhead at the overall rate: 110 ms over 2,000 cost units.
        assert!((t.overhead(100.0) - 5.5).abs() < 1e-9);
    }

    #[test]
    fn without_measured_time_the_objective_is_the_planners_cost() {
        let s = vec![statement(10.0, 0.0)];
        let t = TimeScale::new(&s, &[Some(100.0)]);
        assert!(!t.measured);
        assert!((t.weighted(&s, 0, 50.0) - 500.0).abs() < 1e-9);
        assert!((t.overhead(7.0) - 7.0).abs() < 1e-9);
    }

    #[test]
    fn a_noisy_mean_is_bounded() {
        // One call that waited 10 s on a lock, against a workload of fast statements.
        let mut s = vec![statement(1.0, 10_000.0)];
        s.extend((0..100).map(|_| statement(1000.0, 100.0)));
        let mut base = vec![Some(10.0)];
        base.extend((0..100).map(|_| Some(10.0)));
        let t = TimeScale::new(&s, &base);
        let overall = (10_000.0 + 100.0 * 100.0) / (10.0 + 100.0 * 1000.0 * 10.0);
        assert!((t.weighted(&s, 0, 1.0) - overall * MAX_SKEW).abs() < 1e-9);
    }
}
