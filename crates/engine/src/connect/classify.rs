//! Turns a failed connection attempt into an error that names the problem and the fix.

use super::Target;
use crate::error::{pg_error, Error};
use std::io::ErrorKind;

pub(super) fn connect_error(err: sqlx::Error, target: &Target) -> Error {
    let at = target.to_string();
    match err {
        sqlx::Error::Configuration(e) => Error::InvalidConnection(e.to_string()),
        sqlx::Error::Tls(e) => Error::Tls {
            target: at,
            reason: e.to_string(),
        },
        sqlx::Error::Io(io) => {
            let reason = match io.kind() {
                ErrorKind::ConnectionRefused => "connection refused".to_string(),
                ErrorKind::NotFound if target.is_socket() => "no server socket there".to_string(),
                ErrorKind::TimedOut => "timed out".to_string(),
                _ => io.to_string(),
            };
            Error::Unreachable { target: at, reason }
        }
        sqlx::Error::Database(db) => {
            let pg = pg_error(db.as_ref());
            match pg.sqlstate.as_str() {
                // invalid_password: the server says which user, never the password.
                "28P01" => Error::AuthFailed {
                    user: target.user.clone(),
                    target: at,
                },
                // invalid_authorization_specification (pg_hba), too_many_connections, cannot_connect_now
                "28000" | "53300" | "57P03" => Error::Rejected {
                    target: at,
                    reason: pg.message,
                },
                "3D000" => Error::DatabaseMissing {
                    database: target.database.clone(),
                    target: at,
                },
                "42501" => Error::PermissionDenied(pg),
                _ => Error::Postgres(pg),
            }
        }
        sqlx::Error::Protocol(msg) if msg.contains("SSL") || msg.contains("TLS") => Error::Tls {
            target: at,
            reason: msg,
        },
        other => Error::Unreachable {
            target: at,
            reason: other.to_string(),
        },
    }
}
