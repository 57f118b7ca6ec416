//! The UI's TypeScript types are generated from the Rust types that cross IPC, committed in
//! ui/src/lib/backend/bindings/, and checked here: a stale file fails this test.
//! Regenerate with `make bindings` (UPDATE_BINDINGS=1).

use indexpilot_app::commands::app::AppInfo;
use indexpilot_app::commands::changes::{ChangeAction, ChangeView};
use indexpilot_app::commands::genome::InitSummary;
use indexpilot_app::commands::overview::ConnectionOverview;
use indexpilot_app::commands::workload::CollectorStatus;
use indexpilot_app::progress::Progress;
use indexpilot_app::state::ActiveConnection;
use indexpilot_app::IpcError;
use indexpilot_engine::advisor::explain::Explained;
use indexpilot_engine::advisor::{Advice, StoredProposal};
use indexpilot_engine::change::charts::Theme;
use indexpilot_engine::change::preview::ChangePreview;
use indexpilot_engine::change::HistoryEntry;
use indexpilot_engine::expression::{ExpressionChange, ExpressionMatrix, ExpressionToggle};
use indexpilot_engine::genome::{FlagEdit, GenomeBrowse, GenomeField, SyncPlan};
use indexpilot_engine::health::HealthReport;
use indexpilot_engine::local::{ConnectionInput, SavedConnection};
use indexpilot_engine::overview::Overview;
use indexpilot_engine::probe::ConnectionReport;
use indexpilot_engine::tenants::TenantReport;
use indexpilot_engine::typegen::{GeneratedTypes, TableChoice, TypesRequest};
use indexpilot_engine::workload::usage::{FieldUsageReport, WorkloadReport};
use indexpilot_engine::FieldRef;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

fn generate(dir: &Path) -> BTreeMap<String, String> {
    // JSON numbers: ids and sizes stay far below 2^53.
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t>::export_all(&cfg).expect(stringify!($t)); )* };
    }
    export!(
        AppInfo,
        IpcError,
        Progress,
        ActiveConnection,
        InitSummary,
        SavedConnection,
        ConnectionInput,
        ConnectionReport,
        GenomeBrowse,
        GenomeField,
        FieldRef,
        FlagEdit,
        SyncPlan,
        TenantReport,
        ExpressionMatrix,
        ExpressionToggle,
        ExpressionChange,
        TypesRequest,
        GeneratedTypes,
        TableChoice,
        WorkloadReport,
        Advice,
        StoredProposal,
        ChangeView,
        ChangeAction,
        ChangePreview,
        HistoryEntry,
        Theme,
        Explained,
        HealthReport,
        CollectorStatus,
        FieldUsageReport,
        Overview,
        ConnectionOverview,
    );
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("export dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        files.insert(name, std::fs::read_to_string(&path).expect("read"));
    }
    let index: String = files
        .keys()
        .map(|f| format!("export type * from './{}';\n", f.trim_end_matches(".ts")))
        .collect();
    files.insert(
        "index.ts".to_string(),
        format!("// Generated from the Rust types; see src-tauri/tests/bindings.rs.\n{index}"),
    );
    files
}

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/backend/bindings")
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect()
}

#[test]
fn typescript_bindings_are_current() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fresh = generate(tmp.path());
    let dir = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create bindings dir");
        for (name, text) in &fresh {
            std::fs::write(dir.join(name), text).expect("write binding");
        }
        return;
    }
    let committed = read_dir(&dir);
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "TypeScript bindings are stale ({stale:?}): run `make bindings` and commit ui/src/lib/backend/bindings"
    );
}
