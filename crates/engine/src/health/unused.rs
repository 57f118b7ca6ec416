//! `unused-index`: a valid index with no scans in the statistics window. Indexes that back
//! a constraint or are unique are never reported: they enforce something even unread.
//! The age of the statistics is part of the message, because "no scans in a day" says little.

use super::shape::{drop_ddl, is_part, parent_help, protected, table_name, PARTITIONED_HELP};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, RelationKind};
use crate::ident::display_ident;

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let window = &input.window;
    let age = window.age_days();
    let severity = if age < input.options.min_stats_days {
        Severity::Info
    } else {
        Severity::Warning
    };
    let mut out = Vec::new();
    // A partitioned table's index is judged as one (its scans are its parts', summed):
    // its parts are not judged on their own.
    for rel in &catalog.relations {
        for ix in rel
            .indexes
            .iter()
            .filter(|ix| ix.is_valid && !protected(ix) && !is_part(ix, input))
        {
            // No counters (e.g. just created): no evidence either way.
            let Some(stats) = input.stats(&ix.schema, &ix.name) else {
                continue;
            };
            if stats.scans > 0 {
                continue;
            }
            let ddl = drop_ddl(rel, ix, input);
            let help = if rel.kind == RelationKind::Partitioned {
                format!(
                    "If the window covers a full business cycle, {}",
                    parent_help(ix)
                )
            } else if ddl.is_none() {
                PARTITIONED_HELP.to_string()
            } else if severity == Severity::Info {
                "The statistics are recent: wait for a full business cycle (month-end, reports) before dropping it.".to_string()
            } else {
                "Drop it if the window covers a full business cycle and no replica reads through it (replicas keep their own counters).".to_string()
            };
            out.push(Finding {
                check: Check::UnusedIndex,
                severity,
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                index: Some(ix.name.clone()),
                message: format!(
                    "Index {} on {} has had no scans {}.",
                    display_ident(&ix.name),
                    table_name(rel),
                    window.describe()
                ),
                evidence: Evidence {
                    size_bytes: Some(ix.size_bytes),
                    definition: Some(ix.definition.clone()),
                    scans: Some(stats.scans),
                    stats_since: Some(window.since),
                    stats_age_days: Some(age),
                    ..Evidence::default()
                },
                ddl,
                help,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{index, input, table, with_scans};
    use super::*;

    #[test]
    fn unscanned_plain_index_is_reported_with_the_window() {
        let mut key = index("t_e_key", &["e"]);
        key.is_unique = true;
        key.constraint_name = Some("t_e_key".into());
        let mut pkey = index("t_pkey", &["id"]);
        pkey.is_primary = true;
        pkey.is_unique = true;
        let cat = Catalog {
            relations: vec![table(
                "t",
                10.0,
                vec![
                    index("t_a_idx", &["a"]),
                    index("t_b_idx", &["b"]),
                    key,
                    pkey,
                ],
            )],
            ..Catalog::default()
        };
        let input = with_scans(
            input(),
            &[
                ("t_a_idx", 3),
                ("t_b_idx", 0),
                ("t_e_key", 0),
                ("t_pkey", 0),
            ],
        );
        let found = check(&cat, &input);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.index.as_deref(), Some("t_b_idx"));
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.message,
            "Index t_b_idx on app.t has had no scans since 2026-11-17 (12 days of statistics)."
        );
        assert_eq!(
            f.ddl.as_deref(),
            Some(r#"DROP INDEX CONCURRENTLY "app"."t_b_idx";"#)
        );
    }

    #[test]
    fn young_statistics_make_it_info() {
        let cat = Catalog {
            relations: vec![table("t", 10.0, vec![index("t_b_idx", &["b"])])],
            ..Catalog::default()
        };
        let mut input = with_scans(input(), &[("t_b_idx", 0)]);
        input.window.since = input.window.now - chrono::Duration::hours(3);
        input.window.source = super::super::StatsSince::ServerStart;
        let found = check(&cat, &input);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0]
            .message
            .ends_with("(less than a day of statistics, since the server started)."));
    }
}
