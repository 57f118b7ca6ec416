//! A proposal a person writes (rather than the advisor): an index definition with a reason,
//! recorded like the advisor's so it goes through the same approval, build and validation.

use crate::advisor::IndexDef;
use crate::error::{Error, Result};
use crate::mutations::Actor;
use serde_json::json;
use sqlx::PgPool;

pub async fn propose_index(
    pool: &PgPool,
    actor: &Actor,
    def: &IndexDef,
    reason: &str,
) -> Result<i64> {
    if def.keys.is_empty() {
        return Err(Error::InvalidInput(
            "an index needs at least one key".into(),
        ));
    }
    let name = def.name();
    let partitioned = super::partitions::is_partitioned(pool, &def.schema, &def.table).await?;
    let ddl = def.create_ddl(&name, partitioned);
    let columns: Vec<String> = def.keys.iter().map(|k| k.label()).collect();
    // Rows × (key width from pg_stats + tuple overhead): enough for the size limit.
    let estimate: Option<i64> = sqlx::query_scalar(
        "SELECT /* indexpilot */ (greatest(c.reltuples, 0) * (coalesce(sum(s.avg_width), 8) + 16))::int8
         FROM pg_class c
         LEFT JOIN pg_stats s ON s.schemaname = $1 AND s.tablename = $2 AND s.attname = ANY($3)
         WHERE c.oid = to_regclass($4)
         GROUP BY c.reltuples",
    )
    .bind(&def.schema)
    .bind(&def.table)
    .bind(def.key_and_include_columns())
    .bind(crate::ident::quote_qualified(&def.schema, &def.table))
    .fetch_optional(pool)
    .await?
    .flatten();
    let Some(estimate) = estimate else {
        return Err(Error::NotFound {
            what: "table",
            name: format!("{}.{}", def.schema, def.table),
        });
    };
    let details = json!({
        "fingerprint": def.fingerprint(),
        "reason": reason,
        "index_name": name,
        "columns": columns,
        "estimated_size_bytes": estimate,
        "statements": [],
        "definition": def,
        "manual": true,
    });
    Ok(sqlx::query_scalar(
        "INSERT INTO indexpilot.mutation_log
             (kind, status, actor_os_user, schema_name, table_name, ddl, details_json)
         VALUES ('index_create', 'proposed', $1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor.os_user.as_deref())
    .bind(&def.schema)
    .bind(&def.table)
    .bind(&ddl)
    .bind(&details)
    .fetch_one(pool)
    .await?)
}
