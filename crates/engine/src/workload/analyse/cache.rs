//! The analyser with its cache, so that a workload read again (every refresh of
//! pg_stat_statements brings the same statements back) is analysed once.
//!
//! Keys are the pg_stat_statements `queryid` when the caller has one, else the exact text.
//! Not libpg_query's fingerprint: it is built to merge statements that differ in constants
//! and, since 18, in the relation behind an alias, and both matter here (`status = 'open'`
//! and `status = 'closed'` want different partial indexes; `FROM crm.a x` and `FROM crm.b x`
//! touch different tables). It also costs a full parse, where hashing the text is free.

use super::model::{Analysis, StatementKind};
use super::resolver::Resolver;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use ts_rs::TS;

/// Beyond this many entries a cache is emptied rather than grown: a source that sends
/// un-normalised texts (a literal in every statement) must not use unbounded memory.
const MAX_ENTRIES: usize = 100_000;

/// Analyses statements against one database's catalog, remembering the results.
pub struct Analyser {
    resolver: Resolver,
    by_queryid: HashMap<i64, Arc<Analysis>>,
    by_text: HashMap<String, Arc<Analysis>>,
    stats: AnalyserStats,
}

/// What the analyser has done since it was created: distinct statements analysed (by
/// kind of outcome) and answers served from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnalyserStats {
    pub analysed: u64,
    pub cache_hits: u64,
    pub utility: u64,
    pub unparsable: u64,
}

impl Analyser {
    pub fn new(resolver: Resolver) -> Self {
        Analyser {
            resolver,
            by_queryid: HashMap::new(),
            by_text: HashMap::new(),
            stats: AnalyserStats::default(),
        }
    }

    /// The analysis of `sql`, from the cache when this queryid or this exact text was
    /// analysed before. A queryid belongs to one database, like the analyser's catalog.
    pub fn analyse(&mut self, queryid: Option<i64>, sql: &str) -> Arc<Analysis> {
        if let Some(hit) = queryid.and_then(|id| self.by_queryid.get(&id)) {
            self.stats.cache_hits += 1;
            return Arc::clone(hit);
        }
        let analysis = match self.by_text.get(sql) {
            Some(hit) => {
                self.stats.cache_hits += 1;
                Arc::clone(hit)
            }
            None => {
                let analysis = Arc::new(super::analyse(&self.resolver, sql));
                self.count(&analysis);
                bounded_insert(&mut self.by_text, sql.to_string(), Arc::clone(&analysis));
                analysis
            }
        };
        if let Some(id) = queryid {
            bounded_insert(&mut self.by_queryid, id, Arc::clone(&analysis));
        }
        analysis
    }

    fn count(&mut self, analysis: &Analysis) {
        self.stats.analysed += 1;
        match analysis.kind {
            StatementKind::Utility => self.stats.utility += 1,
            StatementKind::Unparsable => self.stats.unparsable += 1,
            _ => {}
        }
    }

    pub fn stats(&self) -> AnalyserStats {
        self.stats
    }

    /// Distinct texts in the cache.
    pub fn cached(&self) -> usize {
        self.by_text.len()
    }

    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// After the schema changed (a new discovery), with the new catalog: cached analyses
    /// name tables and columns as they were, so they are dropped.
    pub fn set_resolver(&mut self, resolver: Resolver) {
        self.resolver = resolver;
        self.by_queryid.clear();
        self.by_text.clear();
    }
}

fn bounded_insert<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(key, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RelationKind;

    fn analyser() -> Analyser {
        let mut r = Resolver::default();
        r.add_table(
            "public",
            "t",
            RelationKind::Table,
            vec!["id".into(), "status".into()],
        );
        Analyser::new(r)
    }

    #[test]
    fn the_same_text_is_analysed_once() {
        let mut a = analyser();
        let first = a.analyse(None, "SELECT id FROM t WHERE status = $1");
        let second = a.analyse(None, "SELECT id FROM t WHERE status = $1");
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(a.stats().analysed, 1);
        assert_eq!(a.stats().cache_hits, 1);
    }

    #[test]
    fn a_known_queryid_is_answered_without_looking_at_the_text() {
        let mut a = analyser();
        let first = a.analyse(Some(42), "SELECT id FROM t WHERE id = $1");
        let again = a.analyse(
            Some(42),
            "select id from t where id = $1 /* other spelling */",
        );
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(a.stats().analysed, 1);
    }

    #[test]
    fn texts_that_differ_only_in_constants_keep_their_own_constants() {
        // One libpg_query fingerprint for both, two different partial-index candidates.
        let open = "SELECT id FROM t WHERE status = 'open'";
        let closed = "SELECT id FROM t WHERE status = 'closed'";
        assert_eq!(
            pg_query::fingerprint(open, 0, 0).unwrap().hex,
            pg_query::fingerprint(closed, 0, 0).unwrap().hex
        );
        let mut a = analyser();
        let constant = |x: &Analysis| {
            x.columns
                .iter()
                .find_map(|c| c.constant.clone())
                .unwrap_or_default()
        };
        assert_eq!(constant(&a.analyse(None, open)), "'open'");
        assert_eq!(constant(&a.analyse(None, closed)), "'closed'");
    }

    #[test]
    fn utility_and_unparsable_statements_are_counted() {
        let mut a = analyser();
        a.analyse(None, "BEGIN");
        a.analyse(None, "SELEC 1");
        a.analyse(None, "SELEC 1");
        let stats = a.stats();
        assert_eq!((stats.analysed, stats.utility, stats.unparsable), (2, 1, 1));
    }

    #[test]
    fn a_new_catalog_empties_the_cache() {
        let mut a = analyser();
        a.analyse(None, "SELECT 1");
        a.set_resolver(Resolver::default());
        assert_eq!(a.cached(), 0);
    }
}
