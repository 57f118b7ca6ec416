//! `index_versions`: every definition an index IndexPilot touched has had, so any version can
//! be re-created. A row is current while `valid_to` is NULL.

use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::ident::quote_qualified;
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexState {
    Missing,
    Valid,
    /// Left by a failed or interrupted CONCURRENTLY build or drop.
    Invalid,
}

pub async fn index_state(pool: &PgPool, schema: &str, index: &str) -> Result<IndexState> {
    let valid: Option<bool> = sqlx::query_scalar(
        "SELECT /* indexpilot */ i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)",
    )
    .bind(quote_qualified(schema, index))
    .fetch_optional(pool)
    .await?;
    Ok(match valid {
        None => IndexState::Missing,
        Some(true) => IndexState::Valid,
        Some(false) => IndexState::Invalid,
    })
}

/// Records the index as it now exists (its definition as the server prints it, and its
/// size) as the current version; returns the size.
pub async fn record(pool: &PgPool, schema: &str, index: &str, change_id: i64) -> Result<i64> {
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    close_in(&mut tx, schema, index).await?;
    let sql = format!(
        "INSERT INTO indexpilot.index_versions
             (index_schema, index_name, table_schema, table_name, definition, size_bytes, mutation_id)
         SELECT $1, $2, tn.nspname, t.relname, pg_get_indexdef(i.indexrelid),
                {}, $3
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace tn ON tn.oid = t.relnamespace
         WHERE i.indexrelid = to_regclass($4)
         RETURNING size_bytes",
        super::partitions::SIZE_SQL
    );
    let size: Option<i64> = sqlx::query_scalar(&sql)
        .bind(schema)
        .bind(index)
        .bind(change_id)
        .bind(quote_qualified(schema, index))
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    tx.commit().await?;
    Ok(size.unwrap_or(0))
}

/// Keeps the definition of an index about to be dropped, unless it is already current.
pub async fn remember_existing(
    pool: &PgPool,
    schema: &str,
    index: &str,
    change_id: i64,
) -> Result<()> {
    let current: bool = sqlx::query_scalar(
        "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM indexpilot.index_versions
                        WHERE index_schema = $1 AND index_name = $2 AND valid_to IS NULL)",
    )
    .bind(schema)
    .bind(index)
    .fetch_one(pool)
    .await?;
    if !current {
        record(pool, schema, index, change_id).await?;
    }
    Ok(())
}

/// Ends the current version (the index was dropped).
pub async fn close(pool: &PgPool, schema: &str, index: &str) -> Result<()> {
    let mut conn = pool.acquire().await?;
    close_in(&mut conn, schema, index).await
}

async fn close_in(conn: &mut sqlx::PgConnection, schema: &str, index: &str) -> Result<()> {
    sqlx::query(
        "UPDATE indexpilot.index_versions SET valid_to = now()
         WHERE index_schema = $1 AND index_name = $2 AND valid_to IS NULL",
    )
    .bind(schema)
    .bind(index)
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest definition kept for an index.
pub async fn last_definition(pool: &PgPool, schema: &str, index: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ definition FROM indexpilot.index_versions
         WHERE index_schema = $1 AND index_name = $2
         ORDER BY valid_from DESC, id DESC LIMIT 1",
    )
    .bind(schema)
    .bind(index)
    .fetch_optional(pool)
    .await?)
}

/// The definition recorded as current for an index (what IndexPilot built or last saw).
pub async fn current_definition(
    pool: &PgPool,
    schema: &str,
    index: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ definition FROM indexpilot.index_versions
         WHERE index_schema = $1 AND index_name = $2 AND valid_to IS NULL
         ORDER BY valid_from DESC, id DESC LIMIT 1",
    )
    .bind(schema)
    .bind(index)
    .fetch_optional(pool)
    .await?)
}

/// The definition of the index that has this name now, as the server prints it.
pub async fn live_definition(pool: &PgPool, schema: &str, index: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ pg_get_indexdef(c.oid) FROM pg_class c
         WHERE c.oid = to_regclass($1) AND c.relkind IN ('i', 'I')",
    )
    .bind(quote_qualified(schema, index))
    .fetch_optional(pool)
    .await?)
}

/// `CREATE [UNIQUE] INDEX name ON …` as `pg_get_indexdef` prints it, built CONCURRENTLY.
pub fn concurrently(definition: &str) -> String {
    for head in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = definition.strip_prefix(head) {
            return format!("{head}CONCURRENTLY {rest};");
        }
    }
    format!("{definition};")
}

#[cfg(test)]
mod tests {
    #[test]
    fn definitions_are_rebuilt_concurrently() {
        assert_eq!(
            super::concurrently("CREATE UNIQUE INDEX t_a ON app.t USING btree (a)"),
            "CREATE UNIQUE INDEX CONCURRENTLY t_a ON app.t USING btree (a);"
        );
        assert_eq!(
            super::concurrently("CREATE INDEX t_b ON app.t USING btree (b)"),
            "CREATE INDEX CONCURRENTLY t_b ON app.t USING btree (b);"
        );
    }
}
