//! Costs the workload with a given set of indexes, hypothetically: how a benchmark compares
//! the advisor's proposals with another index set (an expert's) on the same statements,
//! with the same planner and the same weights.

use super::input;
use super::params;
use super::select::through_view;
use super::whatif::WhatIf;
use crate::catalog;
use crate::error::{Error, Result};
use sqlx::PgPool;

/// One statement's weight and its generic-plan cost (None: not plannable).
#[derive(Debug, Clone)]
pub struct StatementCost {
    pub queryid: i64,
    pub query: String,
    pub calls: f64,
    pub cost: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub statements: Vec<StatementCost>,
    /// hypopg_relation_size of each index, in the order given.
    pub sizes_bytes: Vec<i64>,
}

/// Plans every statement of the workload with the given `CREATE INDEX` statements as
/// hypothetical indexes (none: the database as it is). Needs HypoPG.
pub async fn evaluate(pool: &PgPool, create_statements: &[String]) -> Result<Evaluation> {
    if !WhatIf::available(pool).await? {
        return Err(Error::InvalidInput(
            "evaluating an index set needs HypoPG: CREATE EXTENSION hypopg".into(),
        ));
    }
    let catalog = catalog::discover(pool).await?;
    let workload = input::workload(pool, &catalog, None, false).await?;
    let views = input::views(&catalog);
    let policy = input::policy(pool, None).await?;
    let tables =
        input::table_facts(pool, &catalog, &input::tables_used(&workload.statements)).await?;
    let mut w = WhatIf::open(pool).await?;
    let result = async {
        let mut sizes = Vec::new();
        for sql in create_statements {
            let text = sql.replacen(" CONCURRENTLY", "", 1);
            let partial = text.to_uppercase().contains(" WHERE ");
            let hypo = w.create_statement(&text, partial).await?.ok_or_else(|| {
                Error::InvalidInput(format!("HypoPG refused the index definition: {text}"))
            })?;
            sizes.push(hypo.size_bytes);
        }
        let mut statements = Vec::with_capacity(workload.statements.len());
        for s in &workload.statements {
            let cost = w
                .plan_each(
                    s.plan_text().0,
                    through_view(s, &views),
                    &params::sets_for_statement(s, &tables, &policy),
                )
                .await?
                .map(|p| p.cost);
            statements.push(StatementCost {
                queryid: s.queryid,
                query: s.query.clone(),
                calls: s.calls,
                cost,
            });
        }
        Ok::<_, Error>(Evaluation {
            statements,
            sizes_bytes: sizes,
        })
    }
    .await;
    let closed = w.close().await;
    let evaluation = result?;
    closed?;
    Ok(evaluation)
}
