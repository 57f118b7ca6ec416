//! genome list / set.

use crate::args::GenomeCommand;
use crate::output::{table, Output};
use indexpilot_engine::genome::{self, FlagEdit, GenomeFilter};
use indexpilot_engine::ident::parse_table;
use indexpilot_engine::{Actor, FieldRef, Result};
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn run(
    cmd: GenomeCommand,
    pool: &PgPool,
    out: &Output,
    policy: &indexpilot_engine::config::PolicyFile,
) -> Result<ExitCode> {
    match cmd {
        GenomeCommand::Import {
            file: path,
            dry_run,
            strict,
        } => return super::schema_file::import(pool, out, policy, &path, dry_run, strict).await,
        GenomeCommand::Export { out: path, format } => {
            return super::schema_file::export(pool, out, path.as_deref(), format.as_deref()).await
        }
        GenomeCommand::List {
            schema,
            table: qualified,
            feature_group,
            include_removed,
            limit,
        } => {
            let (schema, table_name) = match qualified {
                Some(t) => {
                    let (s, t) = parse_table(&t)?;
                    (Some(s), Some(t))
                }
                None => (schema, None),
            };
            let filter = GenomeFilter {
                schema,
                table: table_name,
                feature_group,
                include_removed,
                limit,
            };
            let fields = genome::list(pool, &filter).await?;
            out.emit(&fields, |fields| {
                let rows: Vec<Vec<String>> = fields
                    .iter()
                    .map(|f| {
                        vec![
                            f.key().to_string(),
                            f.field_type.clone(),
                            if f.is_required { "not null" } else { "" }.to_string(),
                            yes_no(f.is_indexable),
                            f.feature_group.clone(),
                            if f.default_expression { "on" } else { "off" }.to_string(),
                            f.curated_flags.join(","),
                            if f.removed_at.is_some() {
                                "removed"
                            } else {
                                ""
                            }
                            .to_string(),
                        ]
                    })
                    .collect();
                format!(
                    "{}\n{} field(s)",
                    table(
                        &[
                            "field",
                            "type",
                            "null",
                            "indexable",
                            "group",
                            "default",
                            "curated",
                            ""
                        ],
                        &rows
                    ),
                    fields.len()
                )
            });
        }
        GenomeCommand::Set {
            fields,
            indexable,
            feature_group,
            default_expression,
            reason,
        } => {
            let refs = fields
                .iter()
                .map(|f| FieldRef::parse(f))
                .collect::<Result<Vec<_>>>()?;
            let edit = FlagEdit {
                is_indexable: indexable,
                feature_group,
                default_expression,
            };
            indexpilot_engine::migrate::require_initialised(pool).await?;
            let updated =
                genome::set_flags(pool, &Actor::from_env(), &refs, &edit, reason.as_deref())
                    .await?;
            out.emit(&updated, |u| {
                u.iter()
                    .map(|f| {
                        format!(
                            "{}: indexable={} group={} default={} (curated: {})",
                            f.key(),
                            yes_no(f.is_indexable),
                            f.feature_group,
                            if f.default_expression { "on" } else { "off" },
                            f.curated_flags.join(",")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}
