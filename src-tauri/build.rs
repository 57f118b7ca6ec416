// Declaring the app's commands in a manifest makes Tauri check every command against the
// capabilities in capabilities/: a command no capability allows cannot be called.
const COMMANDS: &[&str] = &[
    "app_info",
    "task_cancel",
    "connections_list",
    "connection_save",
    "connection_duplicate",
    "connection_delete",
    "connection_test",
    "connection_open",
    "connection_close",
    "active_connection",
    "metadata_init",
    "genome_browse",
    "genome_set_flags",
    "sync_plan",
    "sync_apply",
    "tenants_list",
    "expression_matrix",
    "expression_set",
    "types_tables",
    "types_generate",
    "types_save",
    "workload_top",
    "advise_run",
    "advice_stored",
    "change_get",
    "change_preview",
    "change_approve",
    "change_reject",
    "change_run",
    "timeline",
    "experiment_chart",
    "explain_statement",
    "statement_chart",
    "health_report",
    "collector_status",
    "collector_set",
    "field_usage",
    "overview_get",
    "overview_all",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
