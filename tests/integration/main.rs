//! Integration suites: the engine and the `indexpilot` CLI against a real PostgreSQL that
//! the harness starts itself. One test binary, so one cluster serves the whole run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_possible_wrap)] // tests may panic on the unexpected

mod advisor;
mod advisor_gin;
mod advisor_reasons;
mod advisor_shapes;
mod advisor_texts;
mod cached_pages;
mod changes;
mod collect;
mod config;
mod connecting;
mod demo;
mod desktop_engine;
mod discovery;
mod fixtures;
mod generic_plan;
mod genome_sync;
mod health;
mod host;
mod hostile;
mod identifiers;
mod init;
mod partitioned;
mod schema_file;
mod skip_scan;
mod tenants;
mod typegen;
