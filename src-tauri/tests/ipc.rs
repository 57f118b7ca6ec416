//! The shell's commands through Tauri's real IPC and capability checks (no window needed),
//! with an in-memory local store and secret store.

use indexpilot_app::state::AppState;
use indexpilot_engine::local::{LocalStore, MemorySecrets};
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

fn window() -> WebviewWindow<MockRuntime> {
    let store = tauri::async_runtime::block_on(LocalStore::in_memory()).expect("store");
    let app = indexpilot_app::app(mock_builder())
        .manage(AppState::new(store, Arc::new(MemorySecrets::default())))
        .build(indexpilot_app::context())
        .expect("the app builds with its real configuration");
    WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window")
}

fn invoke(w: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json"))
}

#[test]
fn app_info_reports_the_engine_version() {
    let w = window();
    let info =
        invoke(&w, "app_info", json!({})).expect("app_info is allowed by the default capability");
    assert_eq!(info["name"], "IndexPilot");
    assert_eq!(info["engine_version"], indexpilot_engine::VERSION);
}

#[test]
fn commands_outside_the_manifest_are_refused() {
    let w = window();
    let err =
        invoke(&w, "drop_everything", json!({})).expect_err("unknown commands must be refused");
    assert!(err.to_string().contains("drop_everything"), "{err}");
}

#[test]
fn saving_a_connection_never_returns_its_password() {
    let w = window();
    let input = json!({"input": {
        "id": null, "label": "Staging", "colour": "#22c55e", "read_only": false,
        "target": {"kind": "fields", "host": "db", "port": 5432, "database": "crm", "user": "dba",
                   "sslmode": "prefer", "sslrootcert": null},
        "password": "hunter2-secret", "forget_password": false
    }});
    let saved = invoke(&w, "connection_save", input).expect("save");
    assert_eq!(saved["has_password"], true);
    let listed = invoke(&w, "connections_list", json!({})).expect("list");
    for reply in [&saved, &listed] {
        assert!(
            !reply.to_string().contains("hunter2-secret"),
            "a reply carried the password: {reply}"
        );
    }
}

#[test]
fn errors_cross_ipc_in_one_shape() {
    let w = window();
    let err = invoke(&w, "genome_browse", json!({})).expect_err("no connection is open");
    assert_eq!(err["code"], "no_connection");
    assert!(
        err["hint"]
            .as_str()
            .is_some_and(|h| h.contains("open a connection")),
        "{err}"
    );
    let err = invoke(&w, "connection_test", json!({"id": "nope"})).expect_err("unknown connection");
    assert_eq!(err["code"], "not_found");
}

#[test]
fn the_types_commands_are_allowed_and_need_a_connection() {
    let w = window();
    let request = json!({"lang": "python", "schemas": [], "tables": []});
    for (cmd, args) in [
        ("types_tables", json!({"includeMetadata": false})),
        ("types_generate", json!({"request": request})),
        (
            "types_save",
            json!({"request": request, "path": "/tmp/never-written.py"}),
        ),
    ] {
        let err = invoke(&w, cmd, args).expect_err("no connection is open");
        assert_eq!(err["code"], "no_connection", "{cmd}: {err}");
    }
    assert!(!std::path::Path::new("/tmp/never-written.py").exists());
    let err = invoke(
        &w,
        "types_generate",
        json!({"request": {"lang": "cobol", "schemas": [], "tables": []}}),
    )
    .expect_err("an unknown language is refused");
    assert!(err.to_string().contains("cobol"), "{err}");
}
