//! Taking a schema file's curated flags into the genome.

use super::compare::{compare, FlagChange, ImportReport};
use super::model::SchemaFile;
use crate::catalog;
use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use crate::genome::{self, live_fields, GenomeFilter};
use crate::migrate::require_initialised;
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use crate::settings;
use serde_json::json;
use sqlx::PgPool;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Compare and report; write nothing.
    pub dry_run: bool,
    /// Write nothing when the file and the database disagree anywhere.
    pub strict: bool,
    /// Recorded with each flag change (e.g. the file's name).
    pub reason: Option<String>,
    /// The tenant key when not the stored one (a policy file's).
    pub tenant_key: Option<String>,
}

/// Compares `file` with the live database and, unless told not to, bootstraps (or syncs)
/// the genome from the live schema and sets the file's flags on the fields both have, as
/// curated flags (discovery never overwrites them), each change in the mutation log.
/// Everything is written in one transaction or not at all.
pub async fn import(
    pool: &PgPool,
    actor: &Actor,
    file: &SchemaFile,
    options: &ImportOptions,
) -> Result<ImportReport> {
    require_initialised(pool).await?;
    let catalog = catalog::discover(pool).await?;
    let live = live_fields(&catalog);
    let tenant_key = match &options.tenant_key {
        Some(k) => k.clone(),
        None => settings::tenancy(pool).await?.tenant_key,
    };
    let genome_now = genome::list(pool, &GenomeFilter::default()).await?;
    let mut report = compare(file, &catalog, &live, &genome_now, &tenant_key);
    let refused = options.strict && report.differences() > 0;
    let write = !options.dry_run && !refused;
    if !write {
        return Ok(report);
    }
    if genome_now.is_empty() || !genome::plan(&live, &genome_now).is_empty() {
        // The flags go on the genome's rows: they must exist and be current first.
        let outcome = genome::bootstrap_for(pool, actor, &catalog, &tenant_key).await?;
        report.bootstrapped = matches!(outcome, genome::Reconciled::Bootstrapped { .. });
        let genome_now = genome::list(pool, &GenomeFilter::default()).await?;
        report.flag_changes = compare(file, &catalog, &live, &genome_now, &tenant_key).flag_changes;
    }
    apply_flags(pool, actor, &report.flag_changes, options.reason.as_deref()).await?;
    report.applied = true;
    Ok(report)
}

/// One UPDATE for every changed field (flags grouped per field) and one log entry each.
async fn apply_flags(
    pool: &PgPool,
    actor: &Actor,
    changes: &[FlagChange],
    reason: Option<&str>,
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut per_field: BTreeMap<(&str, &str, &str), Vec<&FlagChange>> = BTreeMap::new();
    for c in changes {
        per_field
            .entry((c.schema.as_str(), c.table.as_str(), c.field.as_str()))
            .or_default()
            .push(c);
    }
    let (mut schemas, mut tables, mut fields) = (Vec::new(), Vec::new(), Vec::new());
    let (mut indexable, mut expression, mut group, mut curated) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut entries = Vec::new();
    for ((s, t, f), list) in &per_field {
        let get = |flag: &str| {
            list.iter()
                .find(|c| c.flag == flag)
                .map(|c| c.after.clone())
        };
        schemas.push(*s);
        tables.push(*t);
        fields.push(*f);
        indexable.push(get("is_indexable").map(|v| v == "true"));
        expression.push(get("default_expression").map(|v| v == "true"));
        group.push(get("feature_group"));
        let names: Vec<&str> = list.iter().map(|c| c.flag).collect();
        curated.push(names.join(","));
        let before: serde_json::Map<String, serde_json::Value> = list
            .iter()
            .map(|c| (c.flag.to_string(), json!(c.before)))
            .collect();
        let after: serde_json::Map<String, serde_json::Value> = list
            .iter()
            .map(|c| (c.flag.to_string(), json!(c.after)))
            .collect();
        entries.push(
            NewMutation::new(
                MutationKind::FlagEdit,
                json!({"reason": reason, "source": "schema_file", "before": before, "after": after}),
            )
            .on_field(s, t, f),
        );
    }
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    genome::lock_genome(&mut tx).await?;
    let updated = sqlx::query(
        "UPDATE /* indexpilot */ indexpilot.genome_catalog g SET
             is_indexable = COALESCE(u.indexable, g.is_indexable),
             default_expression = COALESCE(u.expression, g.default_expression),
             feature_group = COALESCE(u.grp, g.feature_group),
             curated_flags = ARRAY(SELECT DISTINCT x FROM unnest(g.curated_flags || string_to_array(u.curated, ',')) x ORDER BY 1),
             curated_by = current_user, curated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::text[], $7::text[])
              AS u(schema_name, table_name, field_name, indexable, expression, grp, curated)
         WHERE g.schema_name = u.schema_name AND g.table_name = u.table_name
           AND g.field_name = u.field_name AND g.removed_at IS NULL",
    )
    .bind(&schemas)
    .bind(&tables)
    .bind(&fields)
    .bind(&indexable)
    .bind(&expression)
    .bind(&group)
    .bind(&curated)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if usize::try_from(updated).unwrap_or(0) != per_field.len() {
        // The genome moved between the comparison and the write: write nothing.
        return Err(Error::PlanChanged);
    }
    mutations::record(&mut tx, actor, &entries).await?;
    tx.commit().await?;
    Ok(())
}
