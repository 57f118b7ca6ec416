//! The workload: what the statements run against a database do. [`collect`] records
//! per-interval deltas of pg_stat_statements and table activity; [`analyse`] turns
//! statement texts into the tables and columns they use, by role, for the advisor.

pub mod analyse;
pub mod collect;
pub mod usage;

pub use analyse::{Analyser, Analysis, Resolver};
