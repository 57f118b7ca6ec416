//! `partition-index-gap`: an index that some partitions of a partitioned table have and
//! others lack. Either it was built partition by partition and never on the table (the
//! partitions without it scan), or the table's own index is not attached everywhere yet
//! (invalid until it is: a partitioned build that stopped part-way). Judged over the leaf
//! partitions, by the index's definition after its name (method, keys, INCLUDE, predicate).
//! Indexes IndexPilot built on the recent partitions only, on purpose (the advisor's
//! proposals labelled so), are reported as `info`, with the change that built them: the gap
//! is the design, and what keeps it right is advising again when the window moves.

use super::shape::{body, table_name};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, Relation, RelationKind};
use crate::ident::display_ident;
use std::collections::BTreeMap;

/// At most this many partitions are named in a message.
const NAMED: usize = 5;

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for rel in catalog
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Partitioned && r.parent.is_none())
    {
        let leaves = catalog.leaf_partitions(&rel.schema, &rel.name);
        if leaves.len() < 2 {
            continue;
        }
        // The table's own indexes, valid: every leaf has a part of each.
        let whole: Vec<&str> = rel
            .indexes
            .iter()
            .filter(|ix| ix.is_valid)
            .map(body)
            .collect();
        // Definition → the leaves that have it.
        let mut have: BTreeMap<&str, Vec<&Relation>> = BTreeMap::new();
        for leaf in &leaves {
            let mut bodies: Vec<&str> = leaf
                .indexes
                .iter()
                .filter(|ix| ix.is_valid)
                .map(body)
                .collect();
            bodies.sort_unstable();
            bodies.dedup();
            for b in bodies {
                have.entry(b).or_default().push(leaf);
            }
        }
        for (written, with) in have {
            let definition = written.trim();
            if with.len() == leaves.len() || whole.contains(&written) {
                continue;
            }
            let missing: Vec<String> = leaves
                .iter()
                .filter(|l| !with.iter().any(|w| w.oid == l.oid && w.name == l.name))
                .map(|l| display_ident(&l.name))
                .collect();
            let pending = rel
                .indexes
                .iter()
                .find(|ix| !ix.is_valid && body(ix) == written);
            let parts: Vec<(&Relation, &crate::catalog::Index)> = with
                .iter()
                .flat_map(|w| {
                    w.indexes
                        .iter()
                        .filter(|ix| ix.is_valid && body(ix) == written)
                        .map(move |ix| (*w, ix))
                })
                .collect();
            // The change that built each part for the recent partitions, if one did.
            let built: Vec<Option<i64>> = parts
                .iter()
                .map(|(w, ix)| input.recent_change(&w.schema, &ix.name))
                .collect();
            let deliberate =
                pending.is_none() && !built.is_empty() && built.iter().all(Option::is_some);
            let mut changes: Vec<i64> = built.into_iter().flatten().collect();
            changes.sort_unstable();
            changes.dedup();
            let (message, help) = match pending {
                None if deliberate => (
                    format!(
                        "{} of the {} partitions of {} have an index {definition}, built for the recent partitions only by change {}; partitions created later do not get it.",
                        with.len(),
                        leaves.len(),
                        table_name(rel),
                        changes
                            .iter()
                            .map(|c| format!("#{c}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "Deliberate: the statements' windows follow the clock and read only those partitions. When the window reaches a newer partition, run the advisor again: it proposes the index there. An older partition's index no statement reads any more is reported as unused.".to_string(),
                ),
                Some(parent) => (
                    format!(
                        "Index {} on {} is attached on {} of its {} partitions; missing on {}.",
                        display_ident(&parent.name),
                        table_name(rel),
                        with.len(),
                        leaves.len(),
                        named(&missing)
                    ),
                    "The table's index stays invalid, and unused, until every partition has its part: apply its change again (IndexPilot resumes the build with the partitions still missing).".to_string(),
                ),
                None => (
                    format!(
                        "{} of the {} partitions of {} have an index {definition}; missing on {}.",
                        with.len(),
                        leaves.len(),
                        table_name(rel),
                        named(&missing)
                    ),
                    "Statements that reach the other partitions scan them. Create the index on the partitioned table itself: PostgreSQL attaches the partitions' matching indexes and builds only the missing ones (IndexPilot builds those concurrently, one partition at a time).".to_string(),
                ),
            };
            let size: i64 = parts.iter().map(|(_, ix)| ix.size_bytes).sum();
            out.push(Finding {
                check: Check::PartitionIndexGap,
                severity: if deliberate {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                index: pending.map(|p| p.name.clone()),
                message,
                evidence: Evidence {
                    size_bytes: Some(size),
                    definition: Some(definition.to_string()),
                    scans: pending.and_then(|p| input.stats(&p.schema, &p.name).map(|s| s.scans)),
                    ..Evidence::default()
                },
                ddl: None,
                help,
            });
        }
    }
    out
}

/// `a, b, c, d, e and 7 more`.
fn named(list: &[String]) -> String {
    let shown = list
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > NAMED {
        format!("{shown} and {} more", list.len() - NAMED)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{index, input, table};
    use super::*;
    use crate::catalog::Index;

    /// `app.events`, partitioned, with `parts` partitions; `on(k)` gives partition k's
    /// indexes.
    fn events(parts: usize, own: Vec<Index>, on: impl Fn(usize) -> Vec<Index>) -> Catalog {
        let mut parent = table("events", 0.0, own);
        parent.kind = RelationKind::Partitioned;
        let mut relations = vec![parent];
        for k in 1..=parts {
            let mut p = table(&format!("events_{k:02}"), 1000.0, on(k));
            p.kind = RelationKind::Partition;
            p.oid = 100 + i64::try_from(k).unwrap();
            p.parent = Some(("app".into(), "events".into()));
            relations.push(p);
        }
        Catalog {
            relations,
            ..Catalog::default()
        }
    }

    #[test]
    fn an_index_on_some_partitions_only_is_reported_with_the_missing_ones() {
        let cat = events(12, vec![], |k| {
            if k <= 4 {
                vec![index(&format!("events_{k:02}_tenant_idx"), &["tenant_id"])]
            } else {
                vec![]
            }
        });
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.check, Check::PartitionIndexGap);
        assert!(
            f.message.starts_with(
                "4 of the 12 partitions of app.events have an index USING btree (tenant_id)"
            ),
            "{}",
            f.message
        );
        assert!(
            f.message.contains(
                "missing on events_05, events_06, events_07, events_08, events_09 and 3 more"
            ),
            "{}",
            f.message
        );
        assert_eq!(f.evidence.size_bytes, Some(4 * 8192));
        assert_eq!(f.ddl, None);
    }

    #[test]
    fn an_index_built_for_the_recent_partitions_is_info_naming_its_change() {
        let cat = events(12, vec![], |k| {
            if k >= 11 {
                vec![index(&format!("events_{k:02}_tenant_idx"), &["tenant_id"])]
            } else {
                vec![]
            }
        });
        let mut recent = input();
        for (k, change) in [(11, 7), (12, 8)] {
            recent
                .recent
                .insert(("app".into(), format!("events_{k:02}_tenant_idx")), change);
        }
        let found = check(&cat, &recent);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Info);
        assert!(
            found[0]
                .message
                .contains("built for the recent partitions only by change #7, #8"),
            "{}",
            found[0].message
        );
        // One of the two built by hand: a gap like any other.
        recent
            .recent
            .remove(&("app".into(), "events_11_tenant_idx".into()));
        let found = check(&cat, &recent);
        assert_eq!(found[0].severity, Severity::Warning, "{found:?}");
    }

    #[test]
    fn a_table_index_not_yet_attached_everywhere_is_named() {
        let mut own = index("events_tenant_idx", &["tenant_id"]);
        own.is_valid = false;
        let cat = events(3, vec![own], |k| {
            if k == 1 {
                vec![index("events_01_events_tenant_idx", &["tenant_id"])]
            } else {
                vec![]
            }
        });
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].index.as_deref(), Some("events_tenant_idx"));
        assert!(
            found[0]
                .message
                .contains("is attached on 1 of its 3 partitions; missing on events_02, events_03"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn an_index_on_every_partition_or_on_the_table_is_no_gap() {
        let everywhere = events(3, vec![], |k| {
            vec![index(&format!("events_{k:02}_tenant_idx"), &["tenant_id"])]
        });
        assert!(check(&everywhere, &input()).is_empty());
        // Valid on the table: PostgreSQL keeps every partition's part, whatever a
        // partition also has of its own.
        let own = index("events_tenant_idx", &["tenant_id"]);
        let attached = events(3, vec![own], |k| {
            vec![index(&format!("events_{k:02}_tenant_idx"), &["tenant_id"])]
        });
        assert!(check(&attached, &input()).is_empty());
    }
}
