//! One file per domain; each command takes managed state and plain arguments, calls one
//! engine function and converts the error.

pub mod app;
pub mod changes;
pub mod connections;
pub mod genome;
pub mod overview;
pub mod tenants;
pub mod types;

use crate::IpcError;

pub type CmdResult<T> = Result<T, IpcError>;
