//! Reads the chosen schemas' relations and their column types from the live catalog, in one
//! read-only transaction, and resolves every type to a [`FieldType`].

use super::model::{Column, EnumDef, FieldType, Model, RelationKind, Table};
use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use sqlx::{FromRow, PgPool};
use std::collections::{BTreeMap, HashMap};

const COLUMNS_SQL: &str = include_str!("sql/columns.sql");
const TYPES_SQL: &str = include_str!("sql/types.sql");
const SCHEMAS_SQL: &str = include_str!("sql/schemas.sql");

/// IndexPilot's own schema: generated only when asked for by name.
const METADATA_SCHEMA: &str = "indexpilot";

#[derive(FromRow)]
struct ColumnRow {
    schema_name: String,
    table_name: String,
    kind: String,
    attnum: i16,
    column_name: String,
    not_null: bool,
    type_oid: i64,
    has_default: bool,
    identity: String,
    generated: String,
}

#[derive(FromRow)]
struct TypeRow {
    oid: i64,
    schema_name: String,
    name: String,
    sql_name: String,
    kind: String,
    category: String,
    elem: i64,
    base: i64,
    not_null: bool,
    labels: Option<Vec<String>>,
}

/// A relation a person can pick, for the app's table list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct TableChoice {
    pub schema: String,
    pub name: String,
    pub kind: String,
}

/// What to read: schemas (empty = every schema but PostgreSQL's and IndexPilot's own) and
/// tables (`table` or `schema.table`; empty = all of them).
pub async fn read(pool: &PgPool, schemas: &[String], tables: &[String]) -> Result<Model> {
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    let existing: Vec<String> = sqlx::query_scalar(SCHEMAS_SQL).fetch_all(&mut *tx).await?;
    let chosen = choose_schemas(&existing, schemas)?;
    let rows: Vec<ColumnRow> = sqlx::query_as(COLUMNS_SQL)
        .bind(&chosen)
        .fetch_all(&mut *tx)
        .await?;
    let rows = filter_tables(rows, tables, &chosen)?;
    let mut oids: Vec<i64> = rows.iter().map(|r| r.type_oid).collect();
    oids.sort_unstable();
    oids.dedup();
    let types: Vec<TypeRow> = sqlx::query_as(TYPES_SQL)
        .bind(&oids)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;

    let mut model = assemble(rows, types);
    model.schemas = chosen;
    model.tables_filter = tables.to_vec();
    Ok(model)
}

/// Every relation of the given schemas (all but PostgreSQL's and IndexPilot's when empty).
pub async fn choices(pool: &PgPool, schemas: &[String]) -> Result<Vec<TableChoice>> {
    let model = read(pool, schemas, &[]).await?;
    Ok(model
        .tables
        .into_iter()
        .map(|t| TableChoice {
            schema: t.schema,
            name: t.name,
            kind: t.kind.describe().to_string(),
        })
        .collect())
}

fn choose_schemas(existing: &[String], asked: &[String]) -> Result<Vec<String>> {
    let mut chosen: Vec<String> = if asked.is_empty() {
        existing
            .iter()
            .filter(|s| s.as_str() != METADATA_SCHEMA)
            .cloned()
            .collect()
    } else {
        for s in asked {
            if !existing.contains(s) {
                return Err(Error::NotFound {
                    what: "schema",
                    name: format!("{s} (schemas are case-sensitive; see `indexpilot genome list`)"),
                });
            }
        }
        asked.to_vec()
    };
    chosen.sort();
    chosen.dedup();
    Ok(chosen)
}

/// Keeps the rows of the asked tables; every name asked for must match at least one.
fn filter_tables(
    rows: Vec<ColumnRow>,
    asked: &[String],
    schemas: &[String],
) -> Result<Vec<ColumnRow>> {
    if asked.is_empty() {
        return Ok(rows);
    }
    let wanted: Vec<(Option<&str>, &str)> = asked
        .iter()
        .map(|t| match t.split_once('.') {
            Some((s, n)) if schemas.iter().any(|x| x == s) => (Some(s), n),
            _ => (None, t.as_str()),
        })
        .collect();
    let matches = |w: &(Option<&str>, &str), r: &ColumnRow| {
        w.1 == r.table_name && w.0.is_none_or(|s| s == r.schema_name)
    };
    for (w, name) in wanted.iter().zip(asked) {
        if !rows.iter().any(|r| matches(w, r)) {
            return Err(Error::NotFound {
                what: "table",
                name: format!("{name} (in schema {})", schemas.join(", ")),
            });
        }
    }
    Ok(rows
        .into_iter()
        .filter(|r| wanted.iter().any(|w| matches(w, r)))
        .collect())
}

fn assemble(rows: Vec<ColumnRow>, types: Vec<TypeRow>) -> Model {
    let types: HashMap<i64, TypeRow> = types.into_iter().map(|t| (t.oid, t)).collect();
    let mut resolver = Resolver {
        types: &types,
        enums: BTreeMap::new(),
    };
    let mut tables: BTreeMap<(String, String), Table> = BTreeMap::new();
    let mut rows = rows;
    rows.sort_by(|a, b| {
        (&a.schema_name, &a.table_name, a.attnum).cmp(&(&b.schema_name, &b.table_name, b.attnum))
    });
    let mut resolved = Vec::with_capacity(rows.len());
    for r in &rows {
        let (ty, domain_not_null) = resolver.resolve(r.type_oid, 0);
        resolved.push((ty, domain_not_null));
    }
    // Enum indices are assigned in (schema, name) order, whatever order columns use them.
    let order: HashMap<i64, usize> = resolver
        .enums
        .keys()
        .enumerate()
        .map(|(i, (_, _, oid))| (*oid, i))
        .collect();
    let enums: Vec<EnumDef> = resolver.enums.into_values().collect();
    for (r, (ty, domain_not_null)) in rows.into_iter().zip(resolved) {
        let kind = RelationKind::from_relkind(&r.kind);
        let nullable = !(r.not_null || domain_not_null) || kind == RelationKind::View;
        let forbidden = r.identity == "a" || !r.generated.is_empty();
        let column = Column {
            name: r.column_name,
            ty: renumber(ty, &order),
            nullable,
            insert_optional: r.has_default || r.identity == "d" || nullable,
            insert_forbidden: forbidden,
        };
        tables
            .entry((r.schema_name.clone(), r.table_name.clone()))
            .or_insert_with(|| Table {
                schema: r.schema_name,
                name: r.table_name,
                kind,
                columns: Vec::new(),
            })
            .columns
            .push(column);
    }
    Model {
        schemas: Vec::new(),
        tables_filter: Vec::new(),
        tables: tables.into_values().collect(),
        enums,
    }
}

/// Enum references are collected as oids first; the model numbers them in output order.
fn renumber(ty: FieldType, order: &HashMap<i64, usize>) -> FieldType {
    match ty {
        FieldType::Enum(oid) => FieldType::Enum(
            order
                .get(&i64::try_from(oid).unwrap_or_default())
                .copied()
                .unwrap_or_default(),
        ),
        FieldType::Array(inner) => FieldType::Array(Box::new(renumber(*inner, order))),
        other => other,
    }
}

struct Resolver<'a> {
    types: &'a HashMap<i64, TypeRow>,
    /// (schema, name, oid) → definition.
    enums: BTreeMap<(String, String, i64), EnumDef>,
}

impl Resolver<'_> {
    /// The type of `oid`, and whether a domain on the way forbids NULL. While resolving,
    /// `FieldType::Enum` holds the enum's oid; [`renumber`] turns it into an index.
    fn resolve(&mut self, oid: i64, depth: u8) -> (FieldType, bool) {
        let Some(t) = self.types.get(&oid) else {
            return (FieldType::Other(format!("type {oid}")), false);
        };
        // Domains over domains are finite; the bound only guards against a catalog oddity.
        if depth > 16 {
            return (FieldType::Other(t.sql_name.clone()), false);
        }
        if t.category == "A" && t.elem != 0 {
            let (inner, _) = self.resolve(t.elem, depth + 1);
            return (FieldType::Array(Box::new(inner)), false);
        }
        match t.kind.as_str() {
            "d" => {
                let (inner, not_null) = self.resolve(t.base, depth + 1);
                (inner, not_null || t.not_null)
            }
            "e" => {
                let labels = t.labels.clone().unwrap_or_default();
                self.enums
                    .entry((t.schema_name.clone(), t.name.clone(), t.oid))
                    .or_insert_with(|| EnumDef {
                        schema: t.schema_name.clone(),
                        name: t.name.clone(),
                        sql_name: t.sql_name.clone(),
                        labels,
                    });
                (
                    FieldType::Enum(usize::try_from(t.oid).unwrap_or_default()),
                    false,
                )
            }
            _ => (scalar(t), false),
        }
    }
}

fn scalar(t: &TypeRow) -> FieldType {
    // citext lives in whatever schema its extension was created in.
    if t.name == "citext" {
        return FieldType::Text;
    }
    if t.schema_name != "pg_catalog" {
        return FieldType::Other(t.sql_name.clone());
    }
    match t.name.as_str() {
        "bool" => FieldType::Bool,
        "int2" => FieldType::Int16,
        "int4" => FieldType::Int32,
        "int8" => FieldType::Int64,
        "float4" => FieldType::Float32,
        "float8" => FieldType::Float64,
        "numeric" => FieldType::Numeric,
        "money" => FieldType::Money,
        "text" | "varchar" | "bpchar" | "name" => FieldType::Text,
        "uuid" => FieldType::Uuid,
        "date" => FieldType::Date,
        "time" => FieldType::Time,
        "timetz" => FieldType::TimeTz,
        "timestamp" => FieldType::Timestamp,
        "timestamptz" => FieldType::TimestampTz,
        "interval" => FieldType::Interval,
        "json" | "jsonb" => FieldType::Json,
        "bytea" => FieldType::Bytea,
        "inet" | "cidr" => FieldType::Inet,
        "oid" => FieldType::Oid,
        "xml" => FieldType::Xml,
        _ => FieldType::Other(t.sql_name.clone()),
    }
}
