//! Spec cases for the advisor's candidate stage: each statement is analysed against one
//! fixture schema with planner statistics, and the candidates (or the decline reason) are
//! checked. Pure: no database.

use indexpilot_engine::advisor::candidates::{generate, Context, Generated, Statement};
use indexpilot_engine::advisor::facts::{
    CandidateOptions, ColumnStats, Expressed, FieldPolicy, TableFacts,
};
use indexpilot_engine::advisor::ReasonCode;
use indexpilot_engine::catalog::{Index, RelationKind};
use indexpilot_engine::workload::analyse::{analyse, Resolver};
use std::collections::HashMap;

const ORDERS: &[&str] = &[
    "id",
    "tenant_id",
    "customer_id",
    "status",
    "email",
    "created_at",
    "done",
    "data",
    "note",
    "custom_x",
    "custom_y",
    "shipped_at",
    "amount",
];

fn stats(n_distinct: f64, mcv: &[(&str, f64)], null_frac: f64, data_type: &str) -> ColumnStats {
    ColumnStats {
        n_distinct: Some(n_distinct),
        null_frac,
        avg_width: 8,
        mcv: mcv.iter().map(|(v, f)| (v.to_string(), *f)).collect(),
        data_type: data_type.into(),
        ..ColumnStats::default()
    }
}

fn fixture() -> (Resolver, HashMap<(String, String), TableFacts>, FieldPolicy) {
    let mut r = Resolver::default().with_search_path("public", None);
    r.add_table(
        "public",
        "orders",
        RelationKind::Table,
        ORDERS.iter().map(|c| c.to_string()).collect(),
    );
    r.add_table(
        "public",
        "tiny",
        RelationKind::Table,
        vec!["id".into(), "a".into()],
    );
    r.add_table(
        "public",
        "orders_view",
        RelationKind::View,
        vec!["id".into(), "status".into()],
    );
    r.add_table(
        "public",
        "events",
        RelationKind::Partitioned,
        vec!["id".into(), "tenant_id".into(), "at".into()],
    );
    let mut columns = std::collections::BTreeMap::new();
    let rows = 1_000_000.0;
    for (c, s) in [
        ("id", stats(rows, &[], 0.0, "bigint")),
        ("tenant_id", stats(100.0, &[], 0.0, "bigint")),
        ("customer_id", stats(50_000.0, &[], 0.0, "bigint")),
        (
            "status",
            stats(
                4.0,
                &[
                    ("ok", 0.9),
                    ("open", 0.03),
                    ("pending", 0.05),
                    ("failed", 0.02),
                ],
                0.0,
                "text",
            ),
        ),
        ("email", stats(rows, &[], 0.0, "text")),
        (
            "created_at",
            stats(rows, &[], 0.0, "timestamp with time zone"),
        ),
        (
            "done",
            stats(2.0, &[("t", 0.95), ("f", 0.05)], 0.0, "boolean"),
        ),
        ("data", stats(rows, &[], 0.0, "jsonb")),
        ("note", stats(rows, &[], 0.0, "text")),
        ("custom_x", stats(1000.0, &[], 0.5, "text")),
        ("custom_y", stats(1000.0, &[], 0.5, "text")),
        (
            "shipped_at",
            stats(rows, &[], 0.03, "timestamp with time zone"),
        ),
        ("amount", stats(10_000.0, &[], 0.0, "numeric")),
    ] {
        columns.insert(c.to_string(), s);
    }
    // Rows are appended in time order.
    if let Some(c) = columns.get_mut("created_at") {
        c.correlation = Some(0.99);
    }
    let existing = Index {
        schema: "public".into(),
        name: "orders_customer_id_created_at_idx".into(),
        method: "btree".into(),
        is_unique: false,
        is_primary: false,
        is_valid: true,
        is_ready: true,
        definition: "CREATE INDEX orders_customer_id_created_at_idx ON public.orders USING btree (customer_id, created_at)".into(),
        key_columns: vec!["customer_id".into(), "created_at".into()],
        include_columns: vec![],
        predicate: None,
        has_expressions: false,
        size_bytes: 0,
        constraint_name: None,
    };
    let mut tables = HashMap::new();
    tables.insert(
        ("public".to_string(), "orders".to_string()),
        TableFacts {
            schema: "public".into(),
            table: "orders".into(),
            rows,
            pages: 20_000.0,
            columns,
            indexes: vec![existing],
            hot_ratio: 0.5,
            partitions: 0,
            primary_key: vec!["id".into()],
            // Most rows have no `campaign` key.
            expression_nulls: [("(data ->> 'campaign')".to_string(), 0.9)].into(),
            expression_widths: Default::default(),
            expression_distinct: Default::default(),
        },
    );
    tables.insert(
        ("public".to_string(), "tiny".to_string()),
        TableFacts {
            schema: "public".into(),
            table: "tiny".into(),
            rows: 50.0,
            pages: 1.0,
            ..TableFacts::default()
        },
    );
    let key = |c: &str| ("public".to_string(), "orders".to_string(), c.to_string());
    let policy = FieldPolicy {
        not_indexable: [key("note")].into(),
        expressed: [
            (key("custom_x"), Expressed::Nobody),
            (
                key("custom_y"),
                Expressed::Few(vec!["3".into(), "7".into()]),
            ),
        ]
        .into(),
        tenant_key: Some("tenant_id".into()),
        tenant_count: 40,
    };
    (r, tables, policy)
}

/// The fixture's relations that are not tables.
fn others() -> HashMap<(String, String), RelationKind> {
    [(("public".into(), "orders_view".into()), RelationKind::View)].into()
}

enum Expect {
    /// Every body must be among the candidates; none of the `absent` ones may be.
    Candidates(&'static [&'static str], &'static [&'static str]),
    Declined(ReasonCode),
}

/// Candidates and declines for one statement on the fixture's tables.
fn generated_for(sql: &str) -> Generated {
    generated_for_all(&[sql])
}

/// Candidates and declines for a workload of statements on the fixture's tables.
fn generated_for_all(sqls: &[&str]) -> Generated {
    let (resolver, tables, policy) = fixture();
    let statements: Vec<Statement> = sqls
        .iter()
        .zip(1..)
        .map(|(sql, queryid)| Statement {
            queryid,
            query: sql.to_string(),
            calls: 100.0,
            rows: 100.0,
            total_ms: 0.0,
            analysis: analyse(&resolver, sql),
            sample: None,
        })
        .collect();
    let options = CandidateOptions::default();
    generate(
        &statements,
        &Context {
            tables: &tables,
            others: &others(),
            policy: &policy,
            options: &options,
        },
    )
}

fn check(sql: &str, expect: Expect) -> Result<(), String> {
    let generated = generated_for(sql);
    let bodies: Vec<String> = generated.candidates.iter().map(|c| c.def.body()).collect();
    match expect {
        Expect::Candidates(want, absent) => {
            for w in want {
                if !bodies.iter().any(|b| b == w) {
                    return Err(format!(
                        "{sql}\n  missing {w}\n  got {bodies:#?}\n  declined {:?}",
                        generated.declined
                    ));
                }
            }
            for a in absent {
                if bodies.iter().any(|b| b == a) {
                    return Err(format!("{sql}\n  unexpected {a}"));
                }
            }
            Ok(())
        }
        Expect::Declined(code) => match generated.declined.get(&0) {
            Some(d) if d.code == code && bodies.is_empty() => Ok(()),
            other => Err(format!(
                "{sql}\n  expected {code:?}, got {other:?} with {bodies:?}"
            )),
        },
    }
}

#[test]
fn candidate_specs() {
    use Expect::*;
    let cases: Vec<(&str, Expect)> = vec![
        // Equality keys first (tenant key leading), then the range.
        (
            "SELECT id FROM orders WHERE created_at > $1 AND customer_id = $2 AND tenant_id = $3",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"customer_id\", \"created_at\")",
                    "USING btree (\"tenant_id\", \"customer_id\")",
                ],
                // The existing (customer_id, created_at) index has this prefix.
                &["USING btree (\"customer_id\")"],
            ),
        ),
        // A correlated EXISTS (an ORM's filter on a related row): the probe pins its own
        // `= $n` filter with the join key, so both go in one index, the join key first; the
        // tenant key has its own variant.
        (
            "SELECT t.id FROM tiny t WHERE t.a = $2 AND EXISTS \
             (SELECT 1 FROM orders o WHERE o.status = $1 AND o.tenant_id = $3 \
              AND o.customer_id = t.id)",
            Candidates(
                &[
                    "USING btree (\"customer_id\", \"status\")",
                    "USING btree (\"tenant_id\", \"customer_id\")",
                ],
                &["USING btree (\"customer_id\", \"tenant_id\", \"status\")"],
            ),
        ),
        // A join on two columns of one other table: each probe pins both, so one index
        // has both (the more selective first); joins to two different tables do not share
        // one.
        (
            "SELECT t.id, s.total FROM tiny t CROSS JOIN LATERAL \
             (SELECT sum(o.amount) AS total FROM orders o \
              WHERE o.customer_id = t.a AND o.tenant_id = t.id AND o.status = $1) s",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"customer_id\")",
                    "USING btree (\"tenant_id\", \"customer_id\", \"status\")",
                ],
                &[],
            ),
        ),
        (
            "SELECT o.id FROM orders o JOIN tiny t ON t.id = o.customer_id \
             JOIN orders_view v ON v.id = o.id WHERE t.a = $1",
            Candidates(
                &["USING btree (\"id\")"],
                &[
                    "USING btree (\"customer_id\", \"id\")",
                    "USING btree (\"id\", \"customer_id\")",
                ],
            ),
        ),
        (
            "SELECT t.id, s.total FROM tiny t CROSS JOIN LATERAL \
             (SELECT sum(o.amount) AS total FROM orders o \
              WHERE o.customer_id = t.a AND o.amount = t.id) s",
            Candidates(&["USING btree (\"customer_id\", \"amount\")"], &[]),
        ),
        // The same table under two aliases is two probes, each of one key, on either side.
        (
            "SELECT t.id FROM tiny t JOIN orders a ON a.customer_id = t.a \
             JOIN orders b ON b.amount = t.id WHERE t.a = $1",
            Candidates(
                &[],
                &[
                    "USING btree (\"customer_id\", \"amount\")",
                    "USING btree (\"amount\", \"customer_id\")",
                ],
            ),
        ),
        (
            "SELECT o.id FROM orders o JOIN tiny a ON a.a = o.customer_id \
             JOIN tiny b ON b.id = o.amount WHERE a.id = $1",
            Candidates(
                &[],
                &[
                    "USING btree (\"customer_id\", \"amount\")",
                    "USING btree (\"amount\", \"customer_id\")",
                ],
            ),
        ),
        // A constant filter is no key of the probe (it is a partial index's predicate).
        (
            "SELECT t.id FROM tiny t WHERE EXISTS \
             (SELECT 1 FROM orders o WHERE o.status = 'open' AND o.customer_id = t.id)",
            Candidates(&[], &["USING btree (\"customer_id\", \"status\")"]),
        ),
        // Equality then ORDER BY: rows come out sorted, LIMIT stops early; one direction needs
        // no DESC key (a backward scan serves it).
        (
            "SELECT id FROM orders WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 10",
            Candidates(&["USING btree (\"tenant_id\", \"created_at\")"], &[]),
        ),
        (
            "SELECT id FROM orders WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT 10",
            Candidates(
                &["USING btree (\"tenant_id\", \"created_at\" DESC, \"id\")"],
                &[],
            ),
        ),
        // `NOT (status = 'ok')` (an ORM's exclude) leaves a tenth of the rows: the predicate
        // of a partial index, never a key; the keyset cursor (created_at, id) follows the
        // equality key, so the row comparison and the ORDER BY are both served.
        (
            "SELECT \"public\".\"orders\".\"id\" FROM \"public\".\"orders\" \
             WHERE (\"public\".\"orders\".\"tenant_id\" = $1 \
             AND NOT (\"public\".\"orders\".\"status\" = 'ok') \
             AND (\"public\".\"orders\".\"created_at\", \"public\".\"orders\".\"id\") < ($2, $3)) \
             ORDER BY \"public\".\"orders\".\"created_at\" DESC, \"public\".\"orders\".\"id\" DESC LIMIT 21",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"created_at\", \"id\") WHERE \"status\" <> 'ok'",
                    "USING btree (\"tenant_id\", \"created_at\", \"id\")",
                ],
                &["USING btree (\"status\")"],
            ),
        ),
        // The same cursor written out (`a < $2 OR (a = $3 AND id < $4)`): the `=` of an OR
        // branch is no key with the statement's own `=` filters; the cursor's columns
        // follow the equality key, as for the row comparison.
        (
            "SELECT \"public\".\"orders\".\"id\" FROM \"public\".\"orders\" \
             WHERE \"public\".\"orders\".\"tenant_id\" = $1 \
             AND (\"public\".\"orders\".\"created_at\" < $2 OR (\"public\".\"orders\".\"created_at\" = $3 \
             AND \"public\".\"orders\".\"id\" < $4)) \
             ORDER BY \"public\".\"orders\".\"created_at\" DESC, \"public\".\"orders\".\"id\" DESC LIMIT 24",
            Candidates(
                &["USING btree (\"tenant_id\", \"created_at\", \"id\")"],
                &[
                    "USING btree (\"created_at\", \"tenant_id\", \"created_at\")",
                    "USING btree (\"tenant_id\", \"created_at\", \"created_at\")",
                ],
            ),
        ),
        // An OR of two `=` tests is a BitmapOr: a scan per branch, each after the statement's
        // own `=` key; never both columns in one index.
        (
            "SELECT id FROM orders WHERE tenant_id = $1 AND (status = $2 OR email = $3)",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"status\")",
                    "USING btree (\"tenant_id\", \"email\")",
                ],
                &[
                    "USING btree (\"tenant_id\", \"email\", \"status\")",
                    "USING btree (\"tenant_id\", \"status\", \"email\")",
                ],
            ),
        ),
        // A column filtered by IN and also sorted on is one key, where the sort puts it.
        (
            "SELECT status, tenant_id, count(*) FROM orders WHERE status IN ('open', 'failed') \
             GROUP BY tenant_id, status ORDER BY tenant_id, status",
            Candidates(
                &["USING btree (\"tenant_id\", \"status\")"],
                &["USING btree (\"tenant_id\", \"status\", \"status\")"],
            ),
        ),
        // An IN list or IS NULL before the sort key would break the order (the planner
        // fixes neither column): they follow it, still checked in the index.
        (
            "SELECT id FROM orders WHERE tenant_id = $1 AND status IN ($2, $3) \
             AND shipped_at IS NULL ORDER BY created_at LIMIT 10",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"created_at\", \"shipped_at\", \"status\")",
                    "USING btree (\"tenant_id\", \"created_at\", \"status\") WHERE \"shipped_at\" IS NULL",
                ],
                &["USING btree (\"tenant_id\", \"status\", \"shipped_at\", \"created_at\")"],
            ),
        ),
        // Expression indexes.
        (
            "SELECT id FROM orders WHERE lower(email) = $1",
            Candidates(
                &["USING btree ((lower(email)))"],
                &["USING btree (\"email\")"],
            ),
        ),
        (
            "SELECT id FROM orders WHERE data ->> 'source' = $1",
            Candidates(&["USING btree ((data ->> 'source'))"], &[]),
        ),
        // Partial indexes for constant predicates that select few rows.
        (
            "SELECT id FROM orders WHERE status = 'failed' ORDER BY created_at",
            Candidates(
                &["USING btree (\"created_at\") WHERE \"status\" = 'failed'"],
                &[],
            ),
        ),
        (
            "SELECT id FROM orders WHERE status IN ('open', 'pending') AND tenant_id = $1",
            Candidates(
                &["USING btree (\"tenant_id\") WHERE \"status\" IN ('open', 'pending')"],
                &[],
            ),
        ),
        (
            "SELECT id FROM orders WHERE tenant_id = $1 AND NOT done",
            Candidates(&["USING btree (\"tenant_id\") WHERE NOT \"done\""], &[]),
        ),
        (
            "SELECT id FROM orders WHERE shipped_at IS NULL AND tenant_id = $1",
            Candidates(
                &["USING btree (\"tenant_id\") WHERE \"shipped_at\" IS NULL"],
                &[],
            ),
        ),
        // Constant filters every statement writes (a status, a soft delete) that together
        // leave out a fair share of the rows: one partial index on both, keyed by the rest.
        (
            "SELECT id FROM orders WHERE status = 'open' AND done AND tenant_id = $1 \
             ORDER BY created_at DESC LIMIT 24",
            Candidates(
                &["USING btree (\"tenant_id\", \"created_at\") WHERE \"done\" AND \"status\" = 'open'"],
                &[],
            ),
        ),
        // A common value is no partial index.
        (
            "SELECT id FROM orders WHERE status = 'ok' AND customer_id = $1 AND tenant_id = $2",
            Candidates(
                &[],
                &[
                    "USING btree (\"customer_id\", \"tenant_id\") WHERE \"status\" = 'ok'",
                    "USING btree (\"tenant_id\", \"customer_id\") WHERE \"status\" = 'ok'",
                ],
            ),
        ),
        // Covering: the one other column read goes into INCLUDE.
        (
            "SELECT amount FROM orders WHERE customer_id = $1 AND tenant_id = $2",
            Candidates(
                &["USING btree (\"tenant_id\", \"customer_id\") INCLUDE (\"amount\")"],
                &[],
            ),
        ),
        // A field few tenants express: also a tenant-partial index.
        (
            "SELECT id FROM orders WHERE tenant_id = $1 AND custom_y = $2",
            Candidates(
                &[
                    "USING btree (\"tenant_id\", \"custom_y\") WHERE \"tenant_id\" IN ('3', '7')",
                    "USING btree (\"tenant_id\", \"custom_y\")",
                ],
                &[],
            ),
        ),
        // A mostly-NULL column: also the partial index of its non-NULL rows.
        (
            "SELECT id FROM orders WHERE custom_y = $1",
            Candidates(
                &[
                    "USING btree (\"custom_y\") WHERE \"custom_y\" IS NOT NULL",
                    "USING btree (\"custom_y\")",
                ],
                &[],
            ),
        ),
        (
            "SELECT id FROM orders WHERE data ->> 'campaign' = $1",
            Candidates(
                &["USING btree ((data ->> 'campaign')) WHERE (data ->> 'campaign') IS NOT NULL"],
                &[],
            ),
        ),
        // A time range on an append-only table whose rows follow time order: BRIN too.
        (
            "SELECT count(*) FROM orders WHERE created_at >= $1 AND created_at < $2",
            Candidates(
                &[
                    "USING brin (\"created_at\")",
                    "USING btree (\"created_at\")",
                ],
                &[],
            ),
        ),
        // Updated in place: no BRIN (its ranges would blur).
        (
            "UPDATE orders SET amount = $1 WHERE created_at > $2 AND tenant_id = $3",
            Candidates(
                &["USING btree (\"tenant_id\", \"created_at\")"],
                &["USING brin (\"created_at\")"],
            ),
        ),
        // Declines, one per reason the candidate stage gives.
        (
            "SELECT id FROM tiny WHERE a = $1",
            Declined(ReasonCode::TableTooSmall),
        ),
        (
            "SELECT id FROM orders WHERE status = $1",
            Declined(ReasonCode::NotSelective),
        ),
        (
            "SELECT id FROM orders WHERE note = $1",
            Declined(ReasonCode::NotIndexable),
        ),
        (
            "SELECT id FROM orders WHERE custom_x = $1",
            Declined(ReasonCode::NotExpressed),
        ),
        (
            "SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at",
            Declined(ReasonCode::AlreadyIndexed),
        ),
        (
            "SELECT count(*) FROM orders",
            Declined(ReasonCode::NoPredicate),
        ),
        // Operators only GIN serves: jsonb containment alone gets jsonb_path_ops, a key
        // test the default class; a substring search needs pg_trgm, which the fixture lacks.
        (
            "SELECT id FROM orders WHERE data @> $1::jsonb ORDER BY created_at DESC LIMIT 20",
            Candidates(&["USING gin (\"data\" jsonb_path_ops)"], &[]),
        ),
        (
            "SELECT id FROM orders WHERE tenant_id = $1 AND data ? 'vip'",
            Candidates(
                &["USING gin (\"data\")", "USING btree (\"tenant_id\")"],
                &["USING gin (\"data\" jsonb_path_ops)"],
            ),
        ),
        (
            "SELECT \"public\".\"orders\".\"id\" FROM \"public\".\"orders\" \
             WHERE \"public\".\"orders\".\"email\" ILIKE '%' || $1 || '%'",
            Declined(ReasonCode::NeedsExtension),
        ),
        (
            "INSERT INTO orders (tenant_id, status) VALUES ($1, $2)",
            Declined(ReasonCode::NoPredicate),
        ),
        ("SET work_mem = '64MB'", Declined(ReasonCode::Utility)),
        ("SELEC 1", Declined(ReasonCode::Unparsable)),
        (
            "SELECT * FROM nowhere WHERE a = $1",
            Declined(ReasonCode::UnknownTable),
        ),
        (
            "SELECT id FROM orders_view WHERE status = $1",
            Declined(ReasonCode::UnknownTable),
        ),
    ];
    let failures: Vec<String> = cases
        .into_iter()
        .filter_map(|(sql, expect)| check(sql, expect).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Monitoring and tooling queries read PostgreSQL's own catalogs: declined, and said so
/// (not "created since discovery, or a typo").
#[test]
fn system_catalog_reads_are_declined_as_such() {
    for (sql, name) in [
        (
            "SELECT indexrelid FROM pg_index WHERE indrelid = $1",
            "pg_index",
        ),
        (
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1",
            "information_schema.columns",
        ),
    ] {
        let generated = generated_for(sql);
        let d = generated.declined.get(&0).expect("declined");
        assert_eq!(d.code, ReasonCode::UnknownTable, "{sql}");
        assert_eq!(
            d.detail,
            format!("{name} is a system catalog: the advisor indexes user tables only"),
            "{sql}"
        );
    }
}

/// (A partitioned table is advised like any table: `tests/integration/partitioned.rs`.)
#[test]
fn a_view_is_declined_as_what_it_is() {
    let sql = "SELECT id FROM orders_view WHERE status = $1";
    let generated = generated_for(sql);
    let d = generated
        .declined
        .get(&0)
        .unwrap_or_else(|| panic!("{sql}: not declined"));
    assert_eq!(d.code, ReasonCode::UnknownTable, "{sql}");
    assert!(d.detail.contains("is a view"), "{sql}: {}", d.detail);
}

/// Statements that each narrow a table to a few rows by constants on one column share one
/// partial index over the union of their values, keyed by the column; a statement whose
/// own list is the union shares its text, and a union that keeps too many rows is no pool.
#[test]
fn selective_constants_on_one_column_pool_into_one_partial_candidate() {
    let pooled = "WHERE \"status\" IN ('failed', 'open', 'pending')";
    let generated = generated_for_all(&[
        "SELECT id FROM orders WHERE status = 'open' AND created_at > $1",
        "SELECT id FROM orders WHERE status IN ('pending', 'failed') ORDER BY created_at LIMIT 10",
        "SELECT count(*) FROM orders WHERE status IN ('failed', 'open', 'pending')",
    ]);
    let serving = |body: &str| -> Vec<usize> {
        generated
            .candidates
            .iter()
            .filter(|c| c.def.body() == body)
            .flat_map(|c| c.statements.iter().copied())
            .collect()
    };
    let all = || {
        generated
            .candidates
            .iter()
            .map(|c| c.def.body())
            .collect::<Vec<_>>()
    };
    // The column leads, then the statement's range; after the sort key for an IN list
    // with ORDER BY (see `sorted_keys`).
    assert_eq!(
        serving(&format!(
            "USING btree (\"status\", \"created_at\") {pooled}"
        )),
        vec![0],
        "{:#?}",
        all()
    );
    assert_eq!(
        serving(&format!(
            "USING btree (\"created_at\", \"status\") {pooled}"
        )),
        vec![1],
        "{:#?}",
        all()
    );
    // The third statement's own list, in its own order, is the pool's text.
    let own = "WHERE \"status\" IN ('failed', 'open', 'pending')";
    assert!(generated
        .candidates
        .iter()
        .any(|c| c.statements.contains(&2) && c.def.body().ends_with(own)));

    // 'ok' keeps 90% of the rows: no pool with it, each statement keeps its own variants.
    let generated = generated_for_all(&[
        "SELECT id FROM orders WHERE status = 'open' AND created_at > $1",
        "SELECT id FROM orders WHERE status = 'ok' AND created_at > $1",
        "SELECT id FROM orders WHERE status = 'failed' AND created_at > $1",
    ]);
    let bodies: Vec<String> = generated.candidates.iter().map(|c| c.def.body()).collect();
    assert!(
        bodies
            .iter()
            .any(|b| b.ends_with("WHERE \"status\" IN ('failed', 'open')")),
        "{bodies:#?}"
    );
    assert!(!bodies.iter().any(|b| b.contains("'ok')")), "{bodies:#?}");
}
