//! A snapshot of every object outside schema indexpilot: relations, columns, indexes,
//! constraints, sequences, functions, types, privileges and exact row counts. Two equal
//! snapshots mean nothing a business owns was created, altered or written.

use sqlx::PgPool;

const OBJECTS: &str = "
SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner)
       || ' acl=' || coalesce(c.relacl::text, '-') || ' oid=' || c.oid
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'column ' || c.oid || '.' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'constraint ' || con.conrelid::regclass::text || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'schema ' || nspname || ' acl=' || coalesce(nspacl::text, '-')
FROM pg_namespace WHERE nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'function ' || p.oid::regprocedure::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'type ' || t.oid::regtype::text
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY 1";

const TABLES: &str = "
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('indexpilot', 'pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY 1";

pub async fn business_snapshot(pool: &PgPool) -> Vec<String> {
    let mut lines: Vec<String> = sqlx::query_scalar(OBJECTS)
        .fetch_all(pool)
        .await
        .expect("snapshot objects");
    let tables: Vec<String> = sqlx::query_scalar(TABLES)
        .fetch_all(pool)
        .await
        .expect("snapshot tables");
    for t in tables {
        let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}"))
            .fetch_one(pool)
            .await
            .expect("row count");
        // A content checksum catches an UPDATE that keeps the row count.
        let sum: Option<String> = sqlx::query_scalar(&format!(
            "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM {t} x"
        ))
        .fetch_one(pool)
        .await
        .expect("content checksum");
        lines.push(format!("rows {t} {count} {}", sum.unwrap_or_default()));
    }
    lines
}
