//! The Rust row types `indexpilot generate-types --lang rust` wrote for the test schema
//! (`tests/typegen/schema.sql`), compiled as a host application compiles them. The
//! integration suite also reads real rows into them.

#[path = "../../golden/rows.rs"]
pub mod rows;
