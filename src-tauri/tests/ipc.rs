//! The shell's commands through Tauri's real IPC and capability checks (no window needed).

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn invoke(cmd: &str) -> Result<serde_json::Value, serde_json::Value> {
    let app = indexpilot_app::app(mock_builder())
        .build(indexpilot_app::context())
        .expect("the app builds with its real configuration");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window");
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<serde_json::Value>().expect("json"))
}

#[test]
fn app_info_reports_the_engine_version() {
    let info = invoke("app_info").expect("app_info is allowed by the default capability");
    assert_eq!(info["name"], "IndexPilot");
    assert_eq!(info["engineVersion"], indexpilot_engine::VERSION);
}

#[test]
fn commands_outside_the_manifest_are_refused() {
    let err = invoke("drop_everything").expect_err("unknown commands must be refused");
    assert!(err.to_string().contains("drop_everything"), "{err}");
}
