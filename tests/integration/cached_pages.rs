//! Cached pages at their real price (see `whatif::cached`): with the share of random page
//! reads the workload finds in shared buffers, a plan's random pages are priced as
//! sequential ones. The plan stays the one the planner chooses at the server's settings;
//! a sequential scan, which reads no random page, keeps its price. Runs without HypoPG,
//! so on every major (`make test-pg-majors`).

use harness::cli::on;
use harness::fresh_db;
use indexpilot_engine::advisor::whatif::{Plan, WhatIf};
use std::collections::BTreeMap;

async fn planned(w: &mut WhatIf, sql: &str, values: &[(u32, &str)]) -> Plan {
    let values: BTreeMap<u32, String> = values.iter().map(|(k, v)| (*k, v.to_string())).collect();
    w.plan(sql, false, &values)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{sql} is planned"))
}

#[tokio::test]
async fn an_index_probe_of_cached_pages_costs_less_and_a_sequential_scan_the_same() {
    let db = fresh_db().await;
    db.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.items (id int PRIMARY KEY, grp int NOT NULL, payload text NOT NULL);
         INSERT INTO app.items SELECT g, (g * 7919) % 2000, md5(g::text) FROM generate_series(1, 100000) g;
         CREATE INDEX items_grp_idx ON app.items (grp);
         ANALYZE app.items",
    )
    .await;
    // Plans go through `indexpilot.explain`, which init installs.
    on(&db.url, &["init"]).ok();
    let probe = "SELECT payload FROM app.items WHERE grp = 7";
    let by_param = "SELECT payload FROM app.items WHERE grp = $1";
    let scan = "SELECT count(*) FROM app.items WHERE payload LIKE '%ab%'";

    let mut w = WhatIf::open_plain(&db.pool).await.unwrap();
    let as_planned = planned(&mut w, probe, &[]).await;
    let param_planned = planned(&mut w, by_param, &[(1, "7")]).await;
    let scan_planned = planned(&mut w, scan, &[]).await;
    w.price_cached_pages(1.0);
    let cached = planned(&mut w, probe, &[]).await;
    let param_cached = planned(&mut w, by_param, &[(1, "7")]).await;
    let scan_cached = planned(&mut w, scan, &[]).await;
    w.price_cached_pages(0.5);
    let half = planned(&mut w, probe, &[]).await;
    w.close().await.unwrap();

    // The same plan, through the index, with its ~50 heap pages priced as sequential ones.
    assert_eq!(
        cached.indexes,
        vec!["items_grp_idx".to_string()],
        "{cached:?}"
    );
    assert_eq!(cached.indexes, as_planned.indexes);
    assert!(
        cached.cost < 0.6 * as_planned.cost,
        "{} vs {}",
        cached.cost,
        as_planned.cost
    );
    assert!(
        half.cost < as_planned.cost && half.cost > cached.cost,
        "{} between {} and {}",
        half.cost,
        cached.cost,
        as_planned.cost
    );
    // A custom plan of a parameterised text, the same.
    assert!(
        param_cached.cost < 0.6 * param_planned.cost,
        "{} vs {}",
        param_cached.cost,
        param_planned.cost
    );
    // A sequential scan reads no random page.
    assert!(scan_planned.indexes.is_empty(), "{scan_planned:?}");
    assert!(
        (scan_cached.cost - scan_planned.cost).abs() < 0.01,
        "{} vs {}",
        scan_cached.cost,
        scan_planned.cost
    );
}
