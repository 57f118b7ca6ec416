//! The workload: what the statements run against a database do. [`analyse`] turns
//! statement texts into the tables and columns they use, by role, for the advisor.

pub mod analyse;

pub use analyse::{Analyser, Analysis, Resolver};
