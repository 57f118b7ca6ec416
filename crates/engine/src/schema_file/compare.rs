//! What a schema file and the live database disagree on, and which curated flags the file
//! would change. Pure: the caller reads the catalog and the genome.

use super::model::{FieldSpec, SchemaFile};
use crate::catalog::{Catalog, ConstraintKind};
use crate::genome::{default_flags, GenomeField, LiveField};
use crate::ident::{display_ident, parse_table_in};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The outcome of comparing (and possibly importing) a schema file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub tables_in_file: usize,
    pub fields_in_file: usize,
    /// Tables the file describes that the database does not have (`schema.table`).
    pub file_only_tables: Vec<String>,
    /// Fields of existing tables that only the file has (`schema.table.field`).
    pub file_only_fields: Vec<String>,
    /// Tables the database has that the file leaves out.
    pub database_only_tables: Vec<String>,
    /// Fields of the file's tables that the file leaves out.
    pub database_only_fields: Vec<String>,
    pub type_mismatches: Vec<Mismatch>,
    pub required_mismatches: Vec<Mismatch>,
    /// Foreign keys in the file with no matching constraint in the database.
    pub missing_foreign_keys: Vec<String>,
    /// Intended indexes with no index of that name in the database.
    pub missing_indexes: Vec<String>,
    /// Indexes present under the name but defined differently.
    pub index_mismatches: Vec<Mismatch>,
    /// Curated flags the file sets to a new value.
    pub flag_changes: Vec<FlagChange>,
    /// The genome was empty and was bootstrapped from the live schema first.
    pub bootstrapped: bool,
    /// The flag changes were written.
    pub applied: bool,
}

impl ImportReport {
    /// Places where the file and the database disagree (flag changes are not differences:
    /// they are what importing is for).
    pub fn differences(&self) -> usize {
        self.file_only_tables.len()
            + self.file_only_fields.len()
            + self.database_only_tables.len()
            + self.database_only_fields.len()
            + self.type_mismatches.len()
            + self.required_mismatches.len()
            + self.missing_foreign_keys.len()
            + self.missing_indexes.len()
            + self.index_mismatches.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// `schema.table.field` or `schema.index`.
    pub name: String,
    pub file: String,
    pub database: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagChange {
    pub schema: String,
    pub table: String,
    pub field: String,
    /// `is_indexable`, `default_expression` or `feature_group`.
    pub flag: &'static str,
    pub before: String,
    pub after: String,
}

/// Compares the file with the live catalog, and its flags with the genome (or, for fields
/// the genome does not hold yet, with the flags discovery would give them).
pub fn compare(
    file: &SchemaFile,
    catalog: &Catalog,
    live: &[LiveField],
    genome: &[GenomeField],
    tenant_key: &str,
) -> ImportReport {
    let mut report = ImportReport {
        tables_in_file: file.tables.len(),
        fields_in_file: file.tables.iter().map(|t| t.fields.len()).sum(),
        ..ImportReport::default()
    };
    let mut live_by_table: BTreeMap<(&str, &str), Vec<&LiveField>> = BTreeMap::new();
    for f in live {
        live_by_table
            .entry((f.schema.as_str(), f.table.as_str()))
            .or_default()
            .push(f);
    }
    let genome_by_key: HashMap<(&str, &str, &str), &GenomeField> = genome
        .iter()
        .map(|g| {
            (
                (
                    g.schema_name.as_str(),
                    g.table_name.as_str(),
                    g.field_name.as_str(),
                ),
                g,
            )
        })
        .collect();
    let mut described: BTreeSet<(String, String)> = BTreeSet::new();
    for spec in &file.tables {
        // The file was checked when it was read: every table name parses.
        let Ok((schema, table)) = parse_table_in(&spec.table, "public") else {
            continue;
        };
        let qualified = qualify(&schema, &table);
        described.insert((schema.clone(), table.clone()));
        let Some(fields) = live_by_table.get(&(schema.as_str(), table.as_str())) else {
            report.file_only_tables.push(qualified);
            continue;
        };
        let by_name: HashMap<&str, &LiveField> =
            fields.iter().map(|f| (f.field.as_str(), *f)).collect();
        let named: BTreeSet<&str> = spec.fields.iter().map(|f| f.name.as_str()).collect();
        for f in &spec.fields {
            let field_name = format!("{qualified}.{}", display_ident(&f.name));
            let Some(l) = by_name.get(f.name.as_str()) else {
                report.file_only_fields.push(field_name);
                continue;
            };
            if normalise_type(&f.field_type) != normalise_type(&l.field_type) {
                report.type_mismatches.push(Mismatch {
                    name: field_name.clone(),
                    file: f.field_type.clone(),
                    database: l.field_type.clone(),
                });
            }
            if f.required != l.is_required {
                report.required_mismatches.push(Mismatch {
                    name: field_name.clone(),
                    file: f.required.to_string(),
                    database: l.is_required.to_string(),
                });
            }
            let current =
                match genome_by_key.get(&(l.schema.as_str(), l.table.as_str(), l.field.as_str())) {
                    Some(g) => (
                        g.is_indexable,
                        g.default_expression,
                        g.feature_group.clone(),
                    ),
                    None => {
                        let d = default_flags(l, tenant_key);
                        (d.is_indexable, d.default_expression, d.feature_group)
                    }
                };
            flag_changes(&mut report.flag_changes, l, f, current);
        }
        for l in fields {
            if !named.contains(l.field.as_str()) {
                report
                    .database_only_fields
                    .push(format!("{qualified}.{}", display_ident(&l.field)));
            }
        }
        let Some(rel) = catalog.relation(&schema, &table) else {
            continue;
        };
        for fk in &spec.foreign_keys {
            let Ok((rs, rt)) = parse_table_in(&fk.references.table, "public") else {
                continue;
            };
            let found = rel.constraints.iter().any(|c| {
                c.kind == ConstraintKind::ForeignKey
                    && c.columns == fk.columns
                    && c.references.as_ref().is_some_and(|r| {
                        r.schema == rs && r.table == rt && r.columns == fk.references.columns
                    })
            });
            if !found {
                report.missing_foreign_keys.push(format!(
                    "{qualified} ({}) → {} ({})",
                    fk.columns.join(", "),
                    qualify(&rs, &rt),
                    fk.references.columns.join(", ")
                ));
            }
        }
        for i in &spec.indexes {
            let name = qualify(&schema, &i.name);
            match rel.indexes.iter().find(|x| x.name == i.name) {
                None => report
                    .missing_indexes
                    .push(format!("{name} on {qualified} ({})", i.columns.join(", "))),
                Some(x) => {
                    let file_shape = index_shape(
                        &i.columns,
                        i.unique,
                        i.method.as_deref().unwrap_or("btree"),
                        &i.include,
                        i.predicate.as_deref(),
                    );
                    let live_shape = index_shape(
                        &x.key_columns,
                        x.is_unique,
                        &x.method,
                        &x.include_columns,
                        x.predicate.as_deref(),
                    );
                    if squeeze(&file_shape) != squeeze(&live_shape) {
                        report.index_mismatches.push(Mismatch {
                            name,
                            file: file_shape,
                            database: live_shape,
                        });
                    }
                }
            }
        }
    }
    for (schema, table) in live_by_table.keys() {
        if !described.contains(&(schema.to_string(), table.to_string())) {
            report.database_only_tables.push(qualify(schema, table));
        }
    }
    report
}

fn flag_changes(
    out: &mut Vec<FlagChange>,
    live: &LiveField,
    spec: &FieldSpec,
    (indexable, default_expression, group): (bool, bool, String),
) {
    let mut push = |flag: &'static str, before: String, after: String| {
        if before != after {
            out.push(FlagChange {
                schema: live.schema.clone(),
                table: live.table.clone(),
                field: live.field.clone(),
                flag,
                before,
                after,
            });
        }
    };
    if let Some(v) = spec.indexable {
        push("is_indexable", indexable.to_string(), v.to_string());
    }
    if let Some(v) = spec.default_expression {
        push(
            "default_expression",
            default_expression.to_string(),
            v.to_string(),
        );
    }
    if let Some(v) = &spec.feature_group {
        push("feature_group", group, v.clone());
    }
}

pub(crate) fn qualify(schema: &str, table: &str) -> String {
    format!("{}.{}", display_ident(schema), display_ident(table))
}

/// `unique btree (a, lower(b)) include (c) where (d > 0)`, for comparison and display.
fn index_shape(
    columns: &[String],
    unique: bool,
    method: &str,
    include: &[String],
    predicate: Option<&str>,
) -> String {
    let mut s = format!(
        "{}{method} ({})",
        if unique { "unique " } else { "" },
        columns.join(", ")
    );
    if !include.is_empty() {
        s.push_str(&format!(" include ({})", include.join(", ")));
    }
    if let Some(p) = predicate {
        s.push_str(&format!(" where {p}"));
    }
    s
}

/// Spacing and outer parentheses do not make two definitions differ.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A type as PostgreSQL prints it, from the spellings people write.
pub fn normalise_type(t: &str) -> String {
    let t = t.trim().to_ascii_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let (base, array) = match t.strip_suffix("[]") {
        Some(b) => (b.trim_end().to_string(), "[]"),
        None => (t.clone(), ""),
    };
    let (name, args) = match base.find('(') {
        Some(i) => (base[..i].trim_end().to_string(), base[i..].replace(' ', "")),
        None => (base.clone(), String::new()),
    };
    let name = match name.as_str() {
        "int" | "int4" | "serial" | "serial4" => "integer",
        "int8" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallserial" | "serial2" => "smallint",
        "bool" => "boolean",
        "float8" | "float" => "double precision",
        "float4" => "real",
        "decimal" => "numeric",
        "varchar" => "character varying",
        "char" | "bpchar" => "character",
        "timestamptz" => "timestamp with time zone",
        "timestamp" => "timestamp without time zone",
        "timetz" => "time with time zone",
        "time" => "time without time zone",
        "varbit" => "bit varying",
        other => other,
    };
    format!("{name}{args}{array}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_type_spellings_match_what_postgresql_prints() {
        for (written, printed) in [
            ("int8", "bigint"),
            ("VARCHAR(80)", "character varying(80)"),
            ("timestamptz", "timestamp with time zone"),
            ("int[]", "integer[]"),
            ("numeric(12, 2)", "numeric(12,2)"),
            ("crm.stage", "crm.stage"),
        ] {
            assert_eq!(
                normalise_type(written),
                normalise_type(printed),
                "{written}"
            );
        }
        assert_ne!(normalise_type("int4"), normalise_type("bigint"));
    }

    #[test]
    fn index_definitions_compare_without_spacing() {
        let a = index_shape(
            &["a".into(), "lower(b)".into()],
            true,
            "btree",
            &[],
            Some("(c > 0)"),
        );
        let b = index_shape(
            &["a".into(), "lower(b)".into()],
            true,
            "btree",
            &[],
            Some("c>0"),
        );
        assert_eq!(squeeze(&a), squeeze(&b));
        let c = index_shape(&["a".into()], false, "btree", &[], None);
        assert_ne!(squeeze(&a), squeeze(&c));
    }
}
