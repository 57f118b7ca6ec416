//! Compares the live catalog with the genome: what was added, removed, changed type or was
//! renamed. Pure: no database, so every case is unit-tested.

use super::model::{GenomeField, LiveField};
use crate::ident::FieldRef;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Shape {
    pub field_type: String,
    pub is_required: bool,
    pub table_kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TypeChange {
    pub id: i64,
    pub field: FieldRef,
    pub before: Shape,
    pub after: Shape,
    #[serde(skip)]
    pub live: LiveField,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RenameKind {
    /// Only the column name changed.
    Column,
    /// Its table was renamed or moved to another schema.
    Table,
}

impl RenameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RenameKind::Column => "column",
            RenameKind::Table => "table",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Rename {
    pub id: i64,
    pub from: FieldRef,
    pub to: FieldRef,
    pub what: RenameKind,
    #[serde(skip)]
    pub live: LiveField,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncPlan {
    pub added: Vec<LiveField>,
    pub removed: Vec<GenomeField>,
    pub type_changed: Vec<TypeChange>,
    pub renamed: Vec<Rename>,
    /// Tables of which every field is new / gone: a summary of the lists above.
    pub tables_added: Vec<String>,
    pub tables_removed: Vec<String>,
    /// Identifies exactly these changes: applying checks that the plan a person reviewed is
    /// still the plan (see `genome::sync_reviewed`).
    pub fingerprint: String,
}

impl SyncPlan {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.type_changed.is_empty()
            && self.renamed.is_empty()
    }

    pub fn change_count(&self) -> usize {
        self.added.len() + self.removed.len() + self.type_changed.len() + self.renamed.len()
    }
}

fn shape_of_live(f: &LiveField) -> Shape {
    Shape {
        field_type: f.field_type.clone(),
        is_required: f.is_required,
        table_kind: f.table_kind.clone(),
    }
}

fn shape_of_genome(f: &GenomeField) -> Shape {
    Shape {
        field_type: f.field_type.clone(),
        is_required: f.is_required,
        table_kind: f.table_kind.clone(),
    }
}

/// `genome` holds the active (not removed) genome rows.
pub fn plan(live: &[LiveField], genome: &[GenomeField]) -> SyncPlan {
    let genome_by_key: HashMap<FieldRef, &GenomeField> =
        genome.iter().map(|g| (g.key(), g)).collect();
    let live_keys: HashSet<FieldRef> = live.iter().map(LiveField::key).collect();

    let mut added: Vec<&LiveField> = Vec::new();
    let mut type_changed = Vec::new();
    for f in live {
        match genome_by_key.get(&f.key()) {
            None => added.push(f),
            Some(g) => {
                let (before, after) = (shape_of_genome(g), shape_of_live(f));
                if before != after {
                    type_changed.push(TypeChange {
                        id: g.id,
                        field: f.key(),
                        before,
                        after,
                        live: f.clone(),
                    });
                }
            }
        }
    }
    let mut removed: Vec<&GenomeField> = genome
        .iter()
        .filter(|g| !live_keys.contains(&g.key()))
        .collect();

    // A column keeps its attnum through a rename and a table keeps its oid, so a removed and
    // an added field with the same (table oid, attnum) are one field under a new name.
    let removed_by_identity: HashMap<(i64, i16), usize> = removed
        .iter()
        .enumerate()
        .filter_map(|(i, g)| Some(((g.table_oid?, g.attnum?), i)))
        .collect();
    let mut renamed = Vec::new();
    let mut renamed_removed: HashSet<usize> = HashSet::new();
    added.retain(
        |a| match removed_by_identity.get(&(a.table_oid, a.attnum)) {
            Some(&i) if !renamed_removed.contains(&i) => {
                let g = removed[i];
                renamed_removed.insert(i);
                let what = if g.schema_name == a.schema && g.table_name == a.table {
                    RenameKind::Column
                } else {
                    RenameKind::Table
                };
                renamed.push(Rename {
                    id: g.id,
                    from: g.key(),
                    to: a.key(),
                    what,
                    live: (*a).clone(),
                });
                false
            }
            _ => true,
        },
    );
    let mut index = 0;
    removed.retain(|_| {
        let keep = !renamed_removed.contains(&index);
        index += 1;
        keep
    });

    let tables = |keys: &mut dyn Iterator<Item = (String, String)>| -> BTreeSet<(String, String)> {
        keys.collect()
    };
    let live_tables = tables(&mut live.iter().map(|f| (f.schema.clone(), f.table.clone())));
    let genome_tables = tables(
        &mut genome
            .iter()
            .map(|g| (g.schema_name.clone(), g.table_name.clone())),
    );
    let renamed_tables: BTreeSet<(String, String)> = renamed
        .iter()
        .filter(|r| r.what == RenameKind::Table)
        .flat_map(|r| {
            [
                (r.from.schema.clone(), r.from.table.clone()),
                (r.to.schema.clone(), r.to.table.clone()),
            ]
        })
        .collect();
    let qualified = |(s, t): &(String, String)| {
        FieldRef::new(s, t, "x")
            .to_string()
            .trim_end_matches(".x")
            .to_string()
    };
    let tables_added = live_tables
        .difference(&genome_tables)
        .filter(|t| !renamed_tables.contains(*t))
        .map(qualified)
        .collect();
    let tables_removed = genome_tables
        .difference(&live_tables)
        .filter(|t| !renamed_tables.contains(*t))
        .map(qualified)
        .collect();

    let mut plan = SyncPlan {
        added: added.into_iter().cloned().collect(),
        removed: removed.into_iter().cloned().collect(),
        type_changed,
        renamed,
        tables_added,
        tables_removed,
        fingerprint: String::new(),
    };
    plan.fingerprint = fingerprint(&plan);
    plan
}

/// FNV-1a over the changes, in the order `plan` produces them (deterministic for a given
/// catalog and genome).
fn fingerprint(plan: &SyncPlan) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain([0u8]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &plan.added {
        feed(&format!("+{}:{}", f.key(), f.field_type));
    }
    for g in &plan.removed {
        feed(&format!("-{}", g.id));
    }
    for c in &plan.type_changed {
        feed(&format!(
            "~{}:{}:{}",
            c.id, c.after.field_type, c.after.is_required
        ));
    }
    for r in &plan.renamed {
        feed(&format!(">{}:{}", r.id, r.to));
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(table: &str, field: &str, ty: &str, oid: i64, attnum: i16) -> LiveField {
        LiveField {
            schema: "s".into(),
            table: table.into(),
            field: field.into(),
            field_type: ty.into(),
            type_category: "base".into(),
            ordinal: attnum,
            is_required: false,
            is_primary_key: false,
            table_kind: "table".into(),
            table_oid: oid,
            attnum,
            description: None,
        }
    }

    fn genome(id: i64, f: &LiveField) -> GenomeField {
        GenomeField {
            id,
            schema_name: f.schema.clone(),
            table_name: f.table.clone(),
            field_name: f.field.clone(),
            field_type: f.field_type.clone(),
            type_category: f.type_category.clone(),
            is_required: f.is_required,
            is_primary_key: false,
            is_indexable: true,
            default_expression: true,
            feature_group: "core".into(),
            curated_flags: vec![],
            curated_by: None,
            table_kind: f.table_kind.clone(),
            table_oid: Some(f.table_oid),
            attnum: Some(f.attnum),
            removed_at: None,
        }
    }

    #[test]
    fn no_change_is_an_empty_plan() {
        let l = vec![live("t", "a", "integer", 1, 1)];
        let g = vec![genome(1, &l[0])];
        assert!(plan(&l, &g).is_empty());
    }

    #[test]
    fn added_removed_and_type_changed() {
        let before = [
            live("t", "a", "integer", 1, 1),
            live("t", "b", "text", 1, 2),
        ];
        let g: Vec<_> = before
            .iter()
            .enumerate()
            .map(|(i, f)| genome(i64::try_from(i).unwrap(), f))
            .collect();
        let now = vec![live("t", "a", "bigint", 1, 1), live("u", "c", "text", 2, 1)];
        let p = plan(&now, &g);
        assert_eq!(p.added.len(), 1);
        assert_eq!(p.removed.len(), 1);
        assert_eq!(p.type_changed[0].after.field_type, "bigint");
        assert_eq!(p.tables_added, vec!["s.u".to_string()]);
        assert!(p.renamed.is_empty());
    }

    #[test]
    fn renames_are_told_by_oid_and_attnum() {
        let g = vec![
            genome(7, &live("t", "old", "text", 1, 2)),
            genome(8, &live("t", "x", "int", 1, 3)),
        ];
        let now = vec![live("t", "new", "text", 1, 2), live("t2", "x", "int", 1, 3)];
        let p = plan(&now, &g);
        assert!(p.added.is_empty() && p.removed.is_empty(), "{p:?}");
        assert_eq!(p.renamed.len(), 2);
        assert_eq!(
            (p.renamed[0].id, p.renamed[0].what),
            (7, RenameKind::Column)
        );
        assert_eq!(p.renamed[1].what, RenameKind::Table);
        assert!(p.tables_added.is_empty() && p.tables_removed.is_empty());
    }
}
