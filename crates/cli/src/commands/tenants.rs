//! tenants, fields and tenancy.

use super::tenancy as effective_tenancy;
use crate::args::{FieldsCommand, TenancyArgs, ToggleArgs};
use crate::output::{bytes, table, Output};
use indexpilot_engine::config::PolicyFile;
use indexpilot_engine::settings::{self};
use indexpilot_engine::{expression, tenants, Actor, FieldRef, Result};
use serde_json::json;
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn list(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    args: &TenancyArgs,
) -> Result<ExitCode> {
    let tenancy = effective_tenancy(pool, file, args).await?;
    let report = tenants::list(pool, &tenancy).await?;
    out.emit(&report, |r| {
        let rows: Vec<Vec<String>> = r
            .tenants
            .iter()
            .map(|t| {
                vec![
                    t.tenant_id.clone(),
                    t.name.clone().unwrap_or_default(),
                    format!("{}{}", if t.measured { "" } else { "~" }, t.approx_rows),
                    bytes(t.approx_bytes),
                ]
            })
            .collect();
        let mut text = format!(
            "tenant key {} on {} table(s){}\n\n{}\n{} tenant(s); sizes are estimates from planner statistics (~: not among the most common values)",
            r.tenant_key,
            r.scoped_tables.len(),
            r.tenants_table
                .as_ref()
                .map(|t| format!(", tenants listed in {}.{}", t.schema, t.table))
                .unwrap_or_default(),
            table(&["tenant", "name", "rows (est.)", "size (est.)"], &rows),
            r.tenants.len()
        );
        if !r.unanalysed_tables.is_empty() {
            text.push_str(&format!(
                "\nnot analysed yet (run ANALYZE for sizes): {}",
                r.unanalysed_tables.join(", ")
            ));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn fields(
    cmd: FieldsCommand,
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
) -> Result<ExitCode> {
    match cmd {
        FieldsCommand::List {
            tenant,
            feature_group,
        } => {
            let rows = expression::list(pool, tenant.as_deref(), feature_group.as_deref()).await?;
            out.emit(&rows, |rows| {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            FieldRef::new(&r.schema_name, &r.table_name, &r.field_name).to_string(),
                            r.feature_group.clone(),
                            r.tenant_id.clone().unwrap_or_default(),
                            on_off(r.is_enabled),
                            if r.explicit {
                                "tenant setting"
                            } else {
                                "default"
                            }
                            .to_string(),
                        ]
                    })
                    .collect();
                table(&["field", "group", "tenant", "state", "from"], &cells)
            });
        }
        FieldsCommand::Usage { since } => {
            return super::collect::field_usage(pool, out, since).await
        }
        FieldsCommand::Enable(args) => toggle(pool, out, file, args, true).await?,
        FieldsCommand::Disable(args) => toggle(pool, out, file, args, false).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn toggle(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    args: ToggleArgs,
    enabled: bool,
) -> Result<()> {
    let field = FieldRef::parse(&args.field)?;
    let tenancy = effective_tenancy(pool, file, &args.tenancy).await?;
    let change = expression::set(
        pool,
        &Actor::from_env(),
        &tenancy,
        &args.tenant,
        &field,
        enabled,
        args.reason.as_deref(),
    )
    .await?;
    out.emit(&change, |c| {
        if c.changed {
            format!(
                "{} is now {} for tenant {} (was {})",
                c.field,
                on_off(c.after),
                c.tenant_id,
                on_off(c.before)
            )
        } else {
            format!(
                "{} already {} for tenant {}: nothing changed",
                c.field,
                on_off(c.after),
                c.tenant_id
            )
        }
    });
    Ok(())
}

pub async fn tenancy(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    args: &TenancyArgs,
    save: bool,
) -> Result<ExitCode> {
    let tenancy = effective_tenancy(pool, file, args).await?;
    if save {
        settings::set_tenancy(pool, &Actor::from_env(), &tenancy).await?;
    }
    let table = tenants::resolve_tenants_table(pool, &tenancy).await?;
    let value = json!({"tenancy": tenancy, "saved": save, "tenants_table": table});
    out.emit(&value, |_| {
        format!(
            "tenancy: {}{}{}",
            tenancy.describe(),
            table
                .as_ref()
                .map(|t| format!(
                    "; tenants table in use: {}.{} (key {})",
                    t.schema, t.table, t.key_column
                ))
                .unwrap_or_else(|| "; no tenants table found".to_string()),
            if save {
                "\nsaved for everyone using this database"
            } else {
                ""
            }
        )
    });
    Ok(ExitCode::SUCCESS)
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}
