//! The one error shape that crosses IPC: `{code, message, detail?, hint?, sqlstate?}`.
//! The UI branches on `code` and shows message and hint in place.

use indexpilot_engine::ErrorCode;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    pub sqlstate: Option<String>,
}

impl From<indexpilot_engine::Error> for IpcError {
    fn from(err: indexpilot_engine::Error) -> Self {
        IpcError {
            code: err.kind(),
            message: err.to_string(),
            detail: err.detail(),
            hint: err.hint(),
            sqlstate: err.sqlstate().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_code_and_hint() {
        let e: IpcError = indexpilot_engine::Error::NotInitialised {
            database: "crm".into(),
        }
        .into();
        assert_eq!(e.code, ErrorCode::NotInitialised);
        assert_eq!(e.hint.as_deref(), Some("run: indexpilot init"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "not_initialised");
        assert!(json["detail"].is_null());
    }
}
