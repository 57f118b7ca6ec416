//! What the planner guesses, checked: the session's GIN indexes priced into plans where the
//! planner would choose them, and filters whose selectivity the planner only guesses at
//! (containment, key tests, patterns) counted on a block sample, so that a plan is charged
//! what it really reads (see `advisor::gin`).

use super::{Plan, WhatIf, GIN_MARK};
use crate::advisor::gin;
use crate::error::Result;
use sqlx::Row;

impl WhatIf {
    /// Where a plan stops a scan early under a LIMIT and the scan's filter is one the
    /// planner guessed at, the LIMIT's cost follows the rows the filter really matches, as
    /// a block sample counts them (see `gin::rescale_limit`).
    pub(super) async fn correct_guesses(&mut self, plan: &mut Plan) -> Result<()> {
        let mut changed = false;
        for g in gin::guessed_filters(&plan.tree) {
            let Some(schema) = self.schema_of(&g.table).await? else {
                continue;
            };
            let estimated = self
                .clause_rows(&schema, &g.table, &g.alias, &g.clause)
                .await?;
            let sampled = self
                .sampled_rows(&schema, &g.table, &g.alias, &g.clause)
                .await?;
            let (Some(estimated), Some(sampled)) = (estimated, sampled) else {
                continue;
            };
            // A bitmap scan through one of the session's GIN indexes fetches what the
            // clause really matches.
            let marker = gin::node_at(&plan.tree, &g.path).map(|n| n[GIN_MARK].clone());
            if let Some(gin_index) = marker
                .as_ref()
                .and_then(|m| m["oid"].as_i64())
                .and_then(|oid| self.gins.iter().find(|x| x.oid == oid))
            {
                let m = marker.unwrap_or_default();
                let quals = m["quals"]
                    .as_u64()
                    .and_then(|q| usize::try_from(q).ok())
                    .unwrap_or(1);
                let facts = gin_index
                    .scanned(Some(&schema), &g.table)
                    .unwrap_or((gin_index.pages, gin_index.rows));
                let (mut startup, mut total) =
                    gin_index.bitmap_cost_on(sampled, quals, &self.settings, facts);
                if m["sorted"].as_bool() == Some(true) {
                    total += gin::sort_cost(sampled, &self.settings);
                    startup = total;
                }
                gin::set_cost(&mut plan.tree, &g.path, startup, total);
                changed = true;
                continue;
            }
            let factor = estimated.max(1.0) / sampled.max(1.0);
            // Within a quarter either way the planner's guess is as good as a sample's.
            if (0.8..=1.25).contains(&factor) {
                continue;
            }
            changed |= gin::rescale_limit(&mut plan.tree, &g.path, factor);
        }
        if changed {
            plan.cost = plan.tree["Total Cost"].as_f64().unwrap_or(plan.cost);
        }
        Ok(())
    }

    /// The schema of a table a plan names, when only one schema has a table of that name.
    async fn schema_of(&mut self, table: &str) -> Result<Option<String>> {
        if let Some(known) = self.schemas.get(table) {
            return Ok(known.clone());
        }
        let query = sqlx::query(
            "SELECT /* indexpilot */ n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'm') LIMIT 2",
        )
        .bind(table);
        let found = self
            .fetch_all_guarded("indexpilot_whatif_read", query)
            .await?
            .unwrap_or_default();
        let one = match found.as_slice() {
            [row] => Some(row.try_get::<String, _>(0)?),
            _ => None,
        };
        self.schemas.insert(table.to_string(), one.clone());
        Ok(one)
    }

    /// Rows of a table a clause really matches, from a block sample of at most
    /// `sample_pages` pages (`TABLESAMPLE SYSTEM`, the same pages every time); None when
    /// sampling is off or the clause does not run.
    async fn sampled_rows(
        &mut self,
        schema: &str,
        table: &str,
        alias: &str,
        clause: &str,
    ) -> Result<Option<f64>> {
        if self.sample_pages == 0 || clause.contains('$') {
            return Ok(None);
        }
        let key = format!("{schema}.{table} {alias} {clause}");
        if let Some(known) = self.sampled.get(&key) {
            return Ok(*known);
        }
        let query = sqlx::query(
            "SELECT /* indexpilot */ greatest(c.relpages, 1)::float8, greatest(c.reltuples, 0)::float8
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relname = $2",
        )
        .bind(schema)
        .bind(table);
        let Some(size) = self.fetch_guarded("indexpilot_whatif_read", query).await? else {
            return Ok(None);
        };
        let (pages, rows): (f64, f64) = (size.try_get(0)?, size.try_get(1)?);
        let percent = (100.0 * f64::from(self.sample_pages) / pages).min(100.0);
        let sql = format!(
            "SELECT /* indexpilot */ (count(*) FILTER (WHERE {clause}))::float8, count(*)::float8
             FROM {}.{} AS {} TABLESAMPLE SYSTEM ({percent:.6}) REPEATABLE (7)",
            crate::ident::quote_ident(schema),
            crate::ident::quote_ident(table),
            crate::ident::quote_ident(alias),
        );
        let matched = match self
            .fetch_guarded("indexpilot_whatif_sample", sqlx::query(&sql))
            .await?
        {
            Some(row) => {
                let (matched, seen): (f64, f64) = (row.try_get(0)?, row.try_get(1)?);
                // No match in the sample: at most about half a row of it.
                (seen > 0.0).then(|| rows * matched.max(0.5) / seen)
            }
            None => None,
        };
        self.sampled.insert(key, matched);
        Ok(matched)
    }

    /// Prices the session's GIN indexes into a plan made without them (see `gin`): a
    /// bitmap scan of the rows the planner expects the clause to match, chosen where the
    /// planner would choose it (what it then really costs is `correct_guesses`' part).
    pub(super) async fn price_gins(&mut self, plan: &mut Plan) -> Result<()> {
        for g in self.gins.clone() {
            for site in gin::sites(&plan.tree, &g) {
                let schema = match g.parts.iter().find(|p| p.table == site.table) {
                    Some(p) => p.schema.clone(),
                    None => g.def.schema.clone(),
                };
                let matched = self
                    .clause_rows(&schema, &site.table, &site.alias, &site.clause)
                    .await?
                    .unwrap_or(site.rows)
                    .max(site.rows);
                let (mut startup, mut total) =
                    g.bitmap_cost_on(matched, site.quals, &self.settings, site.facts);
                if site.ordered {
                    // The bitmap returns rows in table order: what the scan gave in index
                    // order must be sorted.
                    total += gin::sort_cost(site.rows, &self.settings);
                    startup = total;
                }
                if gin::replace(&mut plan.tree, &site.path, startup, total, &g.name()) {
                    plan.indexes.push(g.name());
                    if g.btree {
                        self.estimated.insert(g.def.fingerprint());
                    }
                    if let Some(node) = gin::node_at_mut(&mut plan.tree, &site.path) {
                        node[GIN_MARK] = serde_json::json!({
                            "oid": g.oid, "sorted": site.ordered, "quals": site.quals,
                        });
                    }
                }
            }
        }
        plan.cost = plan.tree["Total Cost"].as_f64().unwrap_or(plan.cost);
        Ok(())
    }

    /// Rows the planner expects from a table filtered by one clause of a plan alone
    /// (planning only, nothing read); None when the clause holds a parameter (a generic
    /// plan) or does not plan.
    async fn clause_rows(
        &mut self,
        schema: &str,
        table: &str,
        alias: &str,
        clause: &str,
    ) -> Result<Option<f64>> {
        if clause.contains('$') {
            return Ok(None);
        }
        let sql = format!(
            "EXPLAIN (FORMAT JSON) SELECT /* indexpilot */ 1 FROM {}.{} AS {} WHERE {clause}",
            crate::ident::quote_ident(schema),
            crate::ident::quote_ident(table),
            crate::ident::quote_ident(alias),
        );
        if let Some(known) = self.clause_rows.get(&sql) {
            return Ok(*known);
        }
        // Sent as it is (one text per distinct clause, cached for the run): through
        // `indexpilot.explain` the GIN estimates built on these rows were lost.
        let rows = match self
            .fetch_guarded("indexpilot_whatif_clause", sqlx::query(&sql))
            .await?
        {
            Some(row) => row.try_get::<serde_json::Value, _>(0)?[0]["Plan"]["Plan Rows"].as_f64(),
            None => None,
        };
        self.clause_rows.insert(sql, rows);
        Ok(rows)
    }
}
