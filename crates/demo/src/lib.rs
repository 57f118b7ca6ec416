//! Throwaway PostgreSQL clusters, the demo CRM dataset and its workload simulator: what
//! `indexpilot demo` runs, and what the live-database tests stand on.
//!
//! - [`cluster`]: a disposable server started from the machine's own PostgreSQL binaries.
//! - [`dataset`]: a multi-tenant mini-CRM with skewed tenants and no secondary indexes.
//! - [`workload`]: concurrent application sessions that fill `pg_stat_statements`.

pub mod cluster;
pub mod dataset;
mod error;
pub mod workload;

pub use cluster::{default_demo_dir, Cluster, ClusterOptions, ClusterState};
pub use dataset::{LoadOptions, LoadReport};
pub use error::{DemoError, Result};
pub use workload::{WorkloadOptions, WorkloadReport};
