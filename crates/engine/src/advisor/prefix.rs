//! Equality prefixes and refining keys: where the planner's price of an index and the work
//! it does part ways.
//!
//! The planner prices an index scan's heap reads from the correlation of the index's first
//! column alone (pg_stats' `correlation`, taken at three quarters for a multi-column index),
//! and a bitmap scan's as if the rows were spread over the table. An index that leads with
//! columns the statement fixes by equality — `(status, created_at)` for
//! `status = 'completed' AND created_at >= $1` — reads a subset of the entries, and of the
//! heap rows, that the same index without those columns reads, in the same order. Yet when
//! the leading column (a status, a tenant id) is scattered over the heap and the next one
//! (a timestamp) follows the heap's order, the planner prices the first as random reads and
//! the second as sequential ones, up to tenfold apart, although the first does less.
//!
//! So where a plan reads through such an index, the advisor prices the statement no higher
//! than with the index without its equality prefix (planned as a second hypothetical index
//! next to it). Only for plans that use the index: when the planner would not, its price
//! decides what runs. And when the two then save about the same, the longer one is chosen
//! (`refines`): it does the same for fewer rows, and it keeps the planner on index plans
//! for the statements it serves (with the shorter index, a join over the window may turn
//! into a hash join over a sequential scan of the other table). The same holds for a key
//! the statements pin placed inside the key list rather than in front, and for a sort key
//! after a pinned expression; `refines` says why the planner misses each.

use super::index_def::{IndexDef, Method};
use crate::workload::analyse::{Analysis, Role};
use std::collections::HashSet;

/// `def` without the leading keys that `analysis` fixes by equality on `def`'s table, when
/// there are such keys and at least one key after them; `None` otherwise.
pub fn without_equality_prefix(def: &IndexDef, analysis: &Analysis) -> Option<IndexDef> {
    if def.method != Method::Btree {
        return None;
    }
    let fixed = |target: &str| {
        analysis.columns.iter().any(|u| {
            u.role == Role::Equality
                && u.operator.as_deref().is_none_or(|op| op == "=")
                && u.schema.as_deref() == Some(def.schema.as_str())
                && u.table == def.table
                && u.target() == target
        })
    };
    let prefix = def.keys.iter().take_while(|k| fixed(&k.target())).count();
    if prefix == 0 || prefix == def.keys.len() {
        return None;
    }
    Some(IndexDef {
        keys: def.keys[prefix..].to_vec(),
        ..def.clone()
    })
}

/// The keys of an index's table that its statements pin (`=`, `IN`, `IS NULL`: a B-tree
/// searches all three as equalities) and those they sort by.
#[derive(Debug, Default)]
pub struct KeyRoles {
    pub pinned: HashSet<String>,
    pub ordered: HashSet<String>,
}

impl KeyRoles {
    /// The roles `analyses` give the columns and expressions of `def`'s table.
    pub fn of<'a>(analyses: impl IntoIterator<Item = &'a Analysis>, def: &IndexDef) -> Self {
        let mut roles = KeyRoles::default();
        for u in analyses.into_iter().flat_map(|a| &a.columns) {
            if u.schema.as_deref() != Some(def.schema.as_str()) || u.table != def.table {
                continue;
            }
            let op = u.operator.as_deref();
            let target = u.target().to_string();
            match u.role {
                Role::InList => roles.pinned.insert(target),
                Role::Equality if op.is_none_or(|op| op == "=") => roles.pinned.insert(target),
                Role::IsNull if op == Some("is null") => roles.pinned.insert(target),
                Role::OrderBy => roles.ordered.insert(target),
                _ => false,
            };
        }
        roles
    }
}

/// `longer` is `shorter` with more keys (and at least its INCLUDE columns), each of them
/// one the statements pin, placed anywhere among `shorter`'s keys in order: `(status,
/// created_at)` over `(created_at)`, `(tenant_id, stage, close_date)` over `(tenant_id,
/// close_date)`. It reads only the rows the statements want where `shorter` reads rows and
/// filters them out, which the planner prices at a small share of a page read each and,
/// under a LIMIT, as if they were spread evenly along the index order (when the pinned
/// column follows the order, as a deal's stage follows its close date, the scan reads
/// several times more than planned).
///
/// Also a key the statements sort by, after `shorter`'s keys, when `shorter` has a pinned
/// expression: `(tenant_id, (attrs ->> 'source'), created_at)` over `(tenant_id, (attrs ->>
/// 'source'))` for `ORDER BY created_at`. An expression has no statistics until a real
/// index on it exists, so the planner guesses that a handful of rows match and prices the
/// sort after `shorter` as nothing; once built, the index reads every match and sorts it,
/// where `longer` reads them in order and stops at the LIMIT. (With a plain column the
/// planner knows how many rows match and prices that sort itself.)
pub fn refines(longer: &IndexDef, shorter: &IndexDef, roles: &KeyRoles) -> bool {
    if longer.schema != shorter.schema
        || longer.table != shorter.table
        || longer.method != shorter.method
        || longer.predicate != shorter.predicate
        || longer.keys.len() <= shorter.keys.len()
        || !shorter.include.iter().all(|c| longer.include.contains(c))
    {
        return false;
    }
    // `shorter`'s keys in order within `longer`'s, matched as early as possible.
    let mut rest = shorter.keys.iter().peekable();
    for key in &longer.keys {
        if rest.peek() == Some(&key) {
            rest.next();
            continue;
        }
        let target = key.target();
        let sorts_unknown_rows = rest.peek().is_none()
            && roles.ordered.contains(&target)
            && shorter
                .keys
                .iter()
                .any(|k| k.expression.is_some() && roles.pinned.contains(&k.target()));
        if !(roles.pinned.contains(&target) || sorts_unknown_rows) {
            return false;
        }
    }
    rest.peek().is_none()
}

/// `other` keeps every key of `def` that the statements pin (`roles`, theirs on `def`'s
/// table), as a key of its own on the same table: it can reach the rows `def` reaches by
/// those keys, whatever it adds (`(state, queue, priority) WHERE state IN (…)` keeps
/// `(state, queue)`'s). `(created_at)` does not keep `(project_id, created_at)`'s
/// `project_id`: it reads every project's rows in the window and filters them.
pub fn keeps_pinned(other: &IndexDef, def: &IndexDef, roles: &KeyRoles) -> bool {
    other.same_table(def)
        && def
            .keys
            .iter()
            .map(|k| k.target())
            .filter(|t| roles.pinned.contains(t))
            .all(|t| other.keys.iter().any(|k| k.target() == t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::index_def::test_btree;
    use crate::catalog::Catalog;
    use crate::workload::analyse::{analyse, Resolver};

    fn analysed(sql: &str) -> Analysis {
        analyse(&Resolver::new(&Catalog::default()), sql)
    }

    #[test]
    fn the_equality_prefix_is_dropped_up_to_the_first_other_key() {
        let a =
            analysed("SELECT * FROM s.t WHERE status = 'done' AND kind = $1 AND created_at >= $2");
        let def = test_btree(&["status", "kind", "created_at", "id"], None);
        let shorter = without_equality_prefix(&def, &a).unwrap_or_else(|| panic!("a suffix"));
        let keys: Vec<String> = shorter.keys.iter().map(|k| k.target()).collect();
        assert_eq!(keys, vec!["created_at", "id"]);
    }

    fn roles(pinned: &[&str], ordered: &[&str]) -> KeyRoles {
        KeyRoles {
            pinned: pinned.iter().map(|s| s.to_string()).collect(),
            ordered: ordered.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn an_index_refines_the_one_it_holds_with_pinned_keys_around_it() {
        let r = roles(&["status", "stage"], &[]);
        let short = test_btree(&["created_at"], None);
        let long = test_btree(&["status", "created_at"], None);
        assert!(refines(&long, &short, &r));
        assert!(!refines(&short, &long, &r));
        assert!(!refines(&long, &long, &r));
        // A pinned key inside the key list, not only in front.
        let tenant_close = test_btree(&["tenant_id", "close_date"], None);
        let inside = test_btree(&["tenant_id", "stage", "close_date"], None);
        assert!(refines(&inside, &tenant_close, &r));
        // The added key must be one the statements pin.
        let ranged = test_btree(&["tenant_id", "amount", "close_date"], None);
        assert!(!refines(&ranged, &tenant_close, &r));
        // The shorter index's keys must stay in order.
        assert!(!refines(
            &test_btree(&["created_at", "status"], None),
            &test_btree(&["status", "id"], None),
            &r
        ));
        let mut covering = short.clone();
        covering.include = vec!["total".into()];
        assert!(!refines(&long, &covering, &r));
    }

    #[test]
    fn a_smaller_index_keeps_the_pinned_keys_only_as_keys_of_its_own() {
        let r = roles(&["state", "queue", "project_id"], &["priority"]);
        let top = test_btree(&["state", "queue"], None);
        // A partial index with the same keys and a sort key after them reaches the same rows.
        let live = test_btree(
            &["state", "queue", "priority"],
            Some("\"state\" IN ('available', 'scheduled')"),
        );
        assert!(keeps_pinned(&live, &top, &r));
        assert!(keeps_pinned(
            &test_btree(&["queue", "state"], None),
            &top,
            &r
        ));
        // Dropping one of them reads every value's rows and filters them.
        assert!(!keeps_pinned(&test_btree(&["queue"], None), &top, &r));
        let window = test_btree(&["project_id", "created_at"], None);
        assert!(!keeps_pinned(
            &test_btree(&["created_at"], None),
            &window,
            &r
        ));
        // A key nothing pins may go.
        let ranged = test_btree(&["project_id", "created_at", "kind"], None);
        assert!(keeps_pinned(&window, &ranged, &r));
        // Another table reaches none of them.
        let mut elsewhere = top.clone();
        elsewhere.table = "other".into();
        assert!(!keeps_pinned(&elsewhere, &top, &r));
    }

    #[test]
    fn a_sort_key_refines_only_after_a_pinned_expression() {
        let source = "(attrs ->> 'source')";
        let r = roles(&["tenant_id", source, "deal_id"], &["created_at"]);
        // Keys by name; `source` stands for the expression.
        let def = |keys: &[&str]| {
            let mut d = test_btree(keys, None);
            for k in d.keys.iter_mut().filter(|k| k.column == "source") {
                k.expression = Some(source.into());
            }
            d
        };
        let short = def(&["tenant_id", "source"]);
        assert!(refines(
            &def(&["tenant_id", "source", "created_at"]),
            &short,
            &r
        ));
        // Not before the shorter index's last key, nor a key nothing sorts by.
        assert!(!refines(
            &def(&["tenant_id", "created_at", "source"]),
            &short,
            &r
        ));
        assert!(!refines(
            &def(&["tenant_id", "source", "amount"]),
            &short,
            &r
        ));
        // A plain column's matches the planner counts itself: no sort key refines it.
        assert!(!refines(
            &def(&["deal_id", "created_at"]),
            &def(&["deal_id"]),
            &r
        ));
    }

    #[test]
    fn equality_lists_and_is_null_pin_a_column_other_predicates_do_not() {
        let def = test_btree(&["tenant_id", "stage", "close_date"], None);
        let a = analysed(
            "SELECT * FROM s.t WHERE tenant_id = $1 AND stage IN ('a', 'b') AND close_date > $2 \
             AND kind <> 'x' AND deleted_at IS NULL AND owner_id IS NOT NULL ORDER BY amount",
        );
        let r = KeyRoles::of([&a], &def);
        for pinned in ["tenant_id", "stage", "deleted_at"] {
            assert!(r.pinned.contains(pinned), "{pinned}");
        }
        for loose in ["close_date", "kind", "owner_id", "amount"] {
            assert!(!r.pinned.contains(loose), "{loose}");
        }
        assert!(r.ordered.contains("amount"));
    }

    #[test]
    fn nothing_to_drop_without_an_equality_lead_or_a_key_after_it() {
        let a = analysed("SELECT * FROM s.t WHERE status = 'done' AND created_at >= $1");
        assert!(
            without_equality_prefix(&test_btree(&["created_at", "status"], None), &a).is_none()
        );
        assert!(without_equality_prefix(&test_btree(&["status"], None), &a).is_none());
        let ranged = analysed("SELECT * FROM s.t WHERE status > 'a' AND created_at >= $1");
        assert!(
            without_equality_prefix(&test_btree(&["status", "created_at"], None), &ranged)
                .is_none()
        );
    }
}
