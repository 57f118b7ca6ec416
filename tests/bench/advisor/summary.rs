//! The closing table of the advisor benchmark: one row per workload against its expert set,
//! then the mean and the worst of each figure.

use std::collections::BTreeMap;

pub struct Result {
    pub workload: String,
    /// Share of the expert set's planner-cost saving the advisor's set captures.
    pub capture: f64,
    /// pgbench throughput with the advisor's set over the expert set's (medians).
    pub throughput: f64,
    /// (advisor, expert)
    pub indexes: (usize, usize),
    /// Built sizes, (advisor, expert).
    pub bytes: (i64, i64),
    /// Declined statements by reason code.
    pub declined: BTreeMap<String, usize>,
    pub met: bool,
}

pub fn print(results: &[Result]) {
    if results.is_empty() {
        return;
    }
    println!("\n== summary: the advisor against each workload's expert set ==");
    println!(
        "{:<10} {:>8} {:>11} {:>9} {:>17} {:>7}  declined by reason",
        "workload", "capture", "throughput", "indexes", "size (MB)", "targets"
    );
    for r in results {
        let reasons: Vec<String> = r.declined.iter().map(|(k, n)| format!("{k} {n}")).collect();
        println!(
            "{:<10} {:>8.3} {:>10.2}× {:>4} / {:<3} {:>7.1} / {:<7.1} {:>7}  {}",
            r.workload,
            r.capture,
            r.throughput,
            r.indexes.0,
            r.indexes.1,
            mb(r.bytes.0),
            mb(r.bytes.1),
            if r.met { "met" } else { "missed" },
            reasons.join(", ")
        );
    }
    let n = results.len() as f64;
    let mean = |f: fn(&Result) -> f64| results.iter().map(f).sum::<f64>() / n;
    let worst = |f: fn(&Result) -> f64| results.iter().map(f).fold(f64::INFINITY, f64::min);
    println!(
        "{:<10} {:>8.3} {:>10.2}×",
        "mean",
        mean(|r| r.capture),
        mean(|r| r.throughput)
    );
    println!(
        "{:<10} {:>8.3} {:>10.2}×",
        "worst",
        worst(|r| r.capture),
        worst(|r| r.throughput)
    );
}

fn mb(bytes: i64) -> f64 {
    bytes as f64 / 1_048_576.0
}
