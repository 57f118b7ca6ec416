//! Benchmark: analyse 10,000 distinct statements (the shapes pg_stat_statements holds for an
//! application: lookups, joins, aggregates, subqueries, CTEs, upserts, updates) against a
//! catalog of 150 tables, with a fresh analyser so that nothing comes from its cache, and
//! print the time. Target: under 2 s. Then the same statements again, all from the cache.
//!
//! Usage: bench-analyse [STATEMENTS]

use indexpilot_engine::catalog::RelationKind;
use indexpilot_engine::workload::analyse::{Analyser, Resolver, StatementKind};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(2);
const SCHEMAS: [&str; 3] = ["public", "crm", "billing"];
const TABLES_PER_SCHEMA: u64 = 50;
const COLUMNS: [&str; 14] = [
    "id",
    "tenant_id",
    "parent_id",
    "owner_id",
    "status",
    "kind",
    "name",
    "email",
    "amount",
    "data",
    "created_at",
    "updated_at",
    "deleted_at",
    "active",
];

fn main() {
    let count: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("bench-analyse: STATEMENTS must be a number: {e}");
            std::process::exit(2);
        }
    };
    let statements = generate(count);
    let mut analyser = Analyser::new(catalog());

    let started = Instant::now();
    for (i, sql) in statements.iter().enumerate() {
        analyser.analyse(Some(i64::try_from(i).unwrap_or(i64::MAX)), sql);
    }
    let cold = started.elapsed();
    let stats = analyser.stats();
    // Honest numbers: every statement was analysed, none came from the cache, and the
    // generator made no text the parser refuses (which would be quick to "analyse").
    assert_eq!(
        stats.analysed, count as u64,
        "some statements were not analysed"
    );
    assert_eq!(stats.cache_hits, 0, "the timed pass used the cache");
    assert_eq!(
        stats.unparsable, 0,
        "the generator made unparsable statements"
    );

    let started = Instant::now();
    for (i, sql) in statements.iter().enumerate() {
        analyser.analyse(Some(i64::try_from(i).unwrap_or(i64::MAX)), sql);
    }
    let by_queryid = started.elapsed();
    let started = Instant::now();
    let mut kinds = [0usize; 3];
    let (mut uses, mut warnings) = (0usize, 0usize);
    for sql in &statements {
        let a = analyser.analyse(None, sql);
        uses += a.columns.len();
        warnings += a.warnings.len();
        match a.kind {
            StatementKind::Select => kinds[0] += 1,
            StatementKind::Insert | StatementKind::Update | StatementKind::Delete => kinds[1] += 1,
            _ => kinds[2] += 1,
        }
    }
    let warm = started.elapsed();
    assert_eq!(analyser.stats().cache_hits, 2 * count as u64);

    println!(
        "analyse: {count} statements in {:.2} s (target < {} s: {})",
        cold.as_secs_f64(),
        TARGET.as_secs(),
        if cold < TARGET { "met" } else { "MISSED" }
    );
    println!(
        "  {:.0} µs per statement; {} selects, {} writes, {} other; {uses} column uses, {warnings} warnings",
        cold.as_secs_f64() * 1e6 / count.max(1) as f64,
        kinds[0],
        kinds[1],
        kinds[2]
    );
    println!(
        "analyse again from the cache: {count} statements in {:.2} ms by queryid, {:.2} ms by text",
        by_queryid.as_secs_f64() * 1e3,
        warm.as_secs_f64() * 1e3
    );
}

/// 150 tables with the same column names: what varies between statements is which table,
/// which columns, which predicates and which shape.
fn catalog() -> Resolver {
    let mut r = Resolver::default();
    for schema in SCHEMAS {
        for t in 0..TABLES_PER_SCHEMA {
            let mut columns: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            columns.extend((0..6).map(|i| format!("c{i}")));
            r.add_table(schema, &format!("t{t}"), RelationKind::Table, columns);
        }
    }
    r
}

/// A deterministic generator (xorshift), so that runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[i]
    }

    fn table(&mut self) -> String {
        let schema = self.pick(&SCHEMAS);
        let t = self.below(TABLES_PER_SCHEMA);
        if schema == "public" {
            format!("t{t}")
        } else {
            format!("{schema}.t{t}")
        }
    }

    fn column(&mut self) -> String {
        if self.below(3) == 0 {
            format!("c{}", self.below(6))
        } else {
            self.pick(&COLUMNS).to_string()
        }
    }

    /// One predicate on `alias.column`, with parameter number `n`.
    fn predicate(&mut self, alias: &str, n: u32) -> String {
        let c = self.column();
        match self.below(9) {
            0 | 1 => format!("{alias}.{c} = ${n}"),
            2 => format!("{alias}.{c} >= ${n}"),
            3 => format!("{alias}.{c} IN (${n} /*, ... */)"),
            4 => format!("{alias}.{c} = ANY(${n})"),
            5 => format!("{alias}.{c} IS NULL"),
            6 => format!("lower({alias}.{c}) LIKE ${n}"),
            7 => format!("({alias}.data ->> '{c}') = ${n}"),
            _ => format!(
                "{alias}.status = '{}'",
                self.pick(&["open", "closed", "new"])
            ),
        }
    }

    fn predicates(&mut self, alias: &str, first: u32) -> String {
        let n = 1 + self.below(3);
        (0..n)
            .map(|i| self.predicate(alias, first + u32::try_from(i).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn statement(&mut self) -> String {
        let (t1, t2) = (self.table(), self.table());
        let (a, b) = (self.column(), self.column());
        match self.below(10) {
            0 => format!(
                "SELECT id, {a}, {b} FROM {t1} x WHERE {}",
                self.predicates("x", 1)
            ),
            1 => format!(
                "SELECT x.id, x.{a} FROM {t1} x WHERE {} ORDER BY x.created_at DESC, x.id LIMIT $9",
                self.predicates("x", 1)
            ),
            2 => format!(
                "SELECT x.{a}, y.{b} FROM {t1} x JOIN {t2} y ON y.parent_id = x.id WHERE {} AND {}",
                self.predicates("x", 1),
                self.predicates("y", 4)
            ),
            3 => format!(
                "SELECT x.{a}, count(*), sum(x.amount) FROM {t1} x WHERE {} GROUP BY x.{a} ORDER BY 2 DESC",
                self.predicates("x", 1)
            ),
            4 => format!(
                "SELECT x.id FROM {t1} x WHERE {} AND EXISTS (SELECT 1 FROM {t2} y WHERE y.owner_id = x.id AND {})",
                self.predicates("x", 1),
                self.predicates("y", 4)
            ),
            5 => format!(
                "WITH recent AS (SELECT id, {a}, tenant_id FROM {t1} x WHERE {}) \
                 SELECT r.{a}, y.{b} FROM recent r LEFT JOIN {t2} y USING (tenant_id) ORDER BY r.{a}",
                self.predicates("x", 1)
            ),
            6 => format!(
                "UPDATE {t1} x SET {a} = $1, updated_at = now() WHERE {} RETURNING x.id",
                self.predicates("x", 2)
            ),
            7 => format!(
                "INSERT INTO {t1} (id, {a}, {b}) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET {a} = excluded.{a}, updated_at = now()"
            ),
            8 => format!(
                "DELETE FROM {t1} x WHERE {} AND x.id NOT IN (SELECT y.parent_id FROM {t2} y WHERE {})",
                self.predicates("x", 1),
                self.predicates("y", 4)
            ),
            _ => format!(
                "SELECT s.{a}, s.n FROM (SELECT x.{a}, count(*) AS n FROM {t1} x WHERE {} GROUP BY x.{a}) s \
                 WHERE s.n > $8 ORDER BY s.n DESC",
                self.predicates("x", 1)
            ),
        }
    }
}

/// `count` distinct statement texts.
fn generate(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut seen = HashSet::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let sql = rng.statement();
        if seen.insert(sql.clone()) {
            out.push(sql);
        }
    }
    out
}
