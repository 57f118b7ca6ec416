//! The schema file: the genome (fields with their curated flags), foreign keys and intended
//! indexes as YAML or TOML, so curation can be kept in version control and reviewed.
//!
//! ```yaml
//! version: 1
//! tables:
//!   - table: crm.contacts          # schema.table (a bare name means public)
//!     fields:
//!       - name: email
//!         type: text               # as PostgreSQL prints it; int8, varchar(80)… accepted
//!         required: true           # NOT NULL
//!         indexable: true          # curated flags: absent = unchanged
//!         default_expression: true
//!         feature_group: core
//!     foreign_keys:
//!       - columns: [tenant_id]
//!         references: { table: crm.tenants, columns: [id] }
//!     indexes:
//!       - name: contacts_email_idx
//!         columns: [tenant_id, lower(email)]
//!         unique: true             # also: method, include, where
//! ```
//!
//! - [`export`] writes the genome and the live keys and indexes as such a file.
//! - [`import`] compares a file with the live database (what is in one and not the other,
//!   types, NOT NULL, foreign keys, indexes) and takes its curated flags into the genome,
//!   bootstrapping the genome first when it is empty.

mod compare;
mod export;
mod import;
mod model;
mod text;

pub use compare::{compare, normalise_type, FlagChange, ImportReport, Mismatch};
pub use export::export;
pub use import::{import, ImportOptions};
pub use model::{
    FieldSpec, ForeignKeySpec, IndexSpec, ReferenceSpec, SchemaFile, TableSpec, VERSION,
};
pub use text::Format;
pub(crate) use text::{bad, deserialize};
