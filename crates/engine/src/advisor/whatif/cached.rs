//! Cached pages at their real price. The planner prices every page an index scan fetches
//! at `random_page_cost` (4 by default: a read from disk), yet on a server whose workload
//! finds its pages in shared buffers an index probe of a few cached pages takes
//! microseconds, while the sequential scan it replaces, priced mostly per row, is priced
//! about right. Scaling measured time by the planner's ratio of costs then undervalues
//! every index lookup: a join probed through an index looks 4 times faster where it
//! really runs 30 times faster.
//!
//! The plan itself is still the one the planner chooses at the server's own settings:
//! only its price changes. For a fixed plan the cost is linear in `random_page_cost`, its
//! slope being the random pages the plan reads, so the plan is costed a second time at a
//! slightly lower `random_page_cost`; when the planner keeps the same plan there, the
//! slope gives the random pages, and the share of them the workload finds cached
//! (pg_stat_statements' shared blocks hit over blocks touched) is priced as a sequential
//! page. Where the plan changes at the lower price, its cost is left as planned.

use super::gin::CostSettings;
use serde_json::Value;

/// The second plan's `random_page_cost` is this share of the way down to `seq_page_cost`:
/// close enough that the planner keeps its plan, far enough that costs printed to two
/// decimals still show the slope.
const STEP: f64 = 0.1;

/// The `random_page_cost` of the second plan, or `None` when cached pages change nothing
/// (no share cached, or random pages priced as sequential ones already).
pub(super) fn lower_random_page_cost(settings: &CostSettings, cached: f64) -> Option<f64> {
    let gap = settings.random_page - settings.seq_page;
    (cached > 0.0 && gap > 0.0).then_some(settings.random_page - STEP * gap)
}

/// What the plan costs with `cached` of its random pages priced as sequential ones, from
/// its cost at the server's settings (`first`) and at `lower_random_page_cost` (`second`);
/// `None` when the two are not the same plan.
pub(super) fn discount(
    settings: &CostSettings,
    cached: f64,
    first: &Value,
    second: &Value,
) -> Option<f64> {
    if !same_plan(first, second) {
        return None;
    }
    let cost = |p: &Value| p.get("Total Cost").and_then(Value::as_f64);
    let (a, b) = (cost(first)?, cost(second)?);
    let gap = settings.random_page - settings.seq_page;
    let random_pages = ((a - b) / (STEP * gap)).max(0.0);
    Some(random_pages * gap * cached.clamp(0.0, 1.0))
}

/// `cost` less `discount`, never below what it would be if every unit of it were a random
/// page priced as a sequential one.
pub(super) fn apply(settings: &CostSettings, cost: f64, discount: f64) -> f64 {
    let floor = cost * settings.seq_page / settings.random_page.max(f64::MIN_POSITIVE);
    (cost - discount).max(floor)
}

/// Whether two EXPLAIN trees are the same plan: the same nodes, over the same relations
/// and indexes, joined the same way.
fn same_plan(a: &Value, b: &Value) -> bool {
    const KEYS: [&str; 6] = [
        "Node Type",
        "Relation Name",
        "Index Name",
        "Join Type",
        "Strategy",
        "Scan Direction",
    ];
    if KEYS.iter().any(|k| a.get(k) != b.get(k)) {
        return false;
    }
    let children = |p: &Value| {
        p.get("Plans")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (ca, cb) = (children(a), children(b));
    ca.len() == cb.len() && ca.iter().zip(&cb).all(|(x, y)| same_plan(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(kind: &str, cost: f64, index: Option<&str>) -> Value {
        let mut n = json!({"Node Type": kind, "Total Cost": cost, "Relation Name": "t"});
        if let Some(i) = index {
            n["Index Name"] = json!(i);
        }
        n
    }

    #[test]
    fn random_pages_found_cached_are_priced_as_sequential_ones() {
        let s = CostSettings::default();
        let lower = lower_random_page_cost(&s, 1.0).unwrap_or_default();
        assert!((lower - 3.7).abs() < 1e-9, "{lower}");
        // 20 random pages and 40 units of CPU: 120 at 4, 114 at 3.7.
        let first = node("Index Scan", 120.0, Some("t_a"));
        let second = node("Index Scan", 114.0, Some("t_a"));
        let all = discount(&s, 1.0, &first, &second).unwrap_or_default();
        assert!((all - 60.0).abs() < 1e-9, "{all}");
        assert!((apply(&s, 120.0, all) - 60.0).abs() < 1e-9);
        // Half of them cached: half the discount.
        let half = discount(&s, 0.5, &first, &second).unwrap_or_default();
        assert!((half - 30.0).abs() < 1e-9, "{half}");
    }

    #[test]
    fn a_sequential_scan_keeps_its_price() {
        let s = CostSettings::default();
        let seq = node("Seq Scan", 871.0, None);
        assert_eq!(discount(&s, 1.0, &seq, &seq), Some(0.0));
    }

    #[test]
    fn another_plan_at_the_lower_price_leaves_the_cost_as_planned() {
        let s = CostSettings::default();
        let first = node("Seq Scan", 500.0, None);
        let second = node("Index Scan", 480.0, Some("t_a"));
        assert_eq!(discount(&s, 1.0, &first, &second), None);
        let mut join =
            json!({"Node Type": "Nested Loop", "Total Cost": 50.0, "Join Type": "Inner"});
        join["Plans"] = json!([
            node("Seq Scan", 10.0, None),
            node("Index Scan", 30.0, Some("t_a"))
        ]);
        let mut other = join.clone();
        other["Plans"][1]["Index Name"] = json!("t_b");
        assert_eq!(discount(&s, 1.0, &join, &other), None);
    }

    #[test]
    fn nothing_cached_or_no_gap_asks_for_no_second_plan() {
        assert_eq!(lower_random_page_cost(&CostSettings::default(), 0.0), None);
        let flat = CostSettings {
            random_page: 1.0,
            ..CostSettings::default()
        };
        assert_eq!(lower_random_page_cost(&flat, 1.0), None);
    }

    #[test]
    fn the_discount_never_takes_a_cost_below_all_sequential_pages() {
        let s = CostSettings::default();
        assert!((apply(&s, 100.0, 1000.0) - 25.0).abs() < 1e-9);
    }
}
