//! Applying changes safely: a proposal moves proposed → approved → applying → applied |
//! failed, and applied → rolling_back → rolled_back (→ applying again on re-apply). Every
//! transition is an entry in the mutation log with its actor and details; the state of a
//! change is its latest transition.
//!
//! - [`model`]: states, the transitions allowed, a change as the log describes it.
//! - [`log`]: reading a change and appending transitions under a row lock; the history.
//! - [`policy`] and [`window`]: what the team allows (timeouts, maintenance windows, build
//!   slots, size limit, approval, auto-rollback, validation window), stored in the database.
//! - [`plan`]: the DDL a change runs and the checks right before it runs.
//! - [`partitions`]: an index on a partitioned table, built partition by partition.
//! - [`preview`]: what an action will run, shown before a person confirms it.
//! - [`build`]: one DDL alone on its own connection, holding a build slot, with progress and
//!   cancellation.
//! - [`apply`](mod@apply): approve, reject, apply, roll back, re-apply.
//! - [`versions`]: `index_versions`, so any definition can be re-created.
//! - [`reconcile`](mod@reconcile): settles builds interrupted by a crash or a lost connection.
//! - [`experiment`]: validation of applied changes (`ab_experiments`).
//! - [`charts`]: SVG charts of a change's effect.

pub mod apply;
pub mod build;
pub mod charts;
pub mod experiment;
pub mod log;
pub mod model;
pub mod partitions;
pub mod plan;
pub mod policy;
pub mod preview;
pub mod propose;
pub mod reconcile;
pub mod versions;
pub mod window;

pub use apply::{apply, approve, reapply, reject, require_rolled_back, rollback};
pub use experiment::{Experiment, Judgement, Verdict};
pub use log::{history, HistoryEntry};
pub use model::{Change, ChangeKind, ChangeState};
pub use policy::ApplyPolicy;
pub use propose::propose_index;
pub use reconcile::{reconcile, Reconciled};
