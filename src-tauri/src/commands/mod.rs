//! One file per domain; each command is a thin call into the engine.

pub mod app;
