//! A change is a proposal (a root entry of kind `index_create` or `index_drop` in the mutation
//! log) and the chain of transitions after it. Its state is its latest transition.

use crate::error::{Error, Result};
use crate::mutations::MutationKind;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    Proposed,
    Approved,
    Applying,
    Applied,
    Failed,
    RollingBack,
    RolledBack,
    Rejected,
    Superseded,
}

impl ChangeState {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeState::Proposed => "proposed",
            ChangeState::Approved => "approved",
            ChangeState::Applying => "applying",
            ChangeState::Applied => "applied",
            ChangeState::Failed => "failed",
            ChangeState::RollingBack => "rolling_back",
            ChangeState::RolledBack => "rolled_back",
            ChangeState::Rejected => "rejected",
            ChangeState::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "proposed" => ChangeState::Proposed,
            "approved" => ChangeState::Approved,
            "applying" => ChangeState::Applying,
            "applied" => ChangeState::Applied,
            "failed" => ChangeState::Failed,
            "rolling_back" => ChangeState::RollingBack,
            "rolled_back" => ChangeState::RolledBack,
            "rejected" => ChangeState::Rejected,
            "superseded" => ChangeState::Superseded,
            _ => return None,
        })
    }

    /// The transitions the state machine allows. A failed build may be retried; a failed
    /// rollback returns to `applied` (the index is still there).
    pub fn may_become(self, next: ChangeState) -> bool {
        use ChangeState::*;
        matches!(
            (self, next),
            (Proposed, Approved | Rejected | Superseded | Applying)
                | (Approved, Applying | Rejected | Superseded)
                | (Applying, Applied | Failed)
                | (Failed, Applying | Rejected)
                | (Applied, RollingBack)
                | (RollingBack, RolledBack | Applied)
                | (RolledBack, Applying)
        )
    }
}

impl std::fmt::Display for ChangeState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Create an index IndexPilot proposed.
    Create,
    /// Drop an existing index (only ever after a person approved that exact drop).
    Drop,
}

impl ChangeKind {
    pub fn from_log(kind: &str) -> Option<Self> {
        [ChangeKind::Create, ChangeKind::Drop]
            .into_iter()
            .find(|k| k.log_kind() == kind)
    }

    pub fn log_kind(self) -> &'static str {
        match self {
            ChangeKind::Create => MutationKind::IndexCreate.as_str(),
            ChangeKind::Drop => MutationKind::IndexDrop.as_str(),
        }
    }
}

/// A change as the log describes it now.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: i64,
    pub kind: ChangeKind,
    pub state: ChangeState,
    pub schema: String,
    pub table: String,
    /// The index created or dropped (unqualified; it lives in `schema`).
    pub index_name: String,
    /// The proposal's DDL, exactly as proposed.
    pub ddl: String,
    pub proposed_at: DateTime<Utc>,
    /// When the latest transition happened.
    pub updated_at: DateTime<Utc>,
    /// The proposal: reason, figures, statements, definition.
    pub proposal: Value,
    /// The latest transition's details (error, pid, duration…).
    pub last: Value,
}

impl Change {
    /// The query ids of the statements the proposal was made for.
    pub fn queryids(&self) -> Vec<i64> {
        self.proposal["statements"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["queryid"].as_i64())
                    .filter(|q| *q != 0)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Refuses a transition the state machine does not allow, in words a person can act on.
    pub fn check(&self, next: ChangeState) -> Result<()> {
        if self.state.may_become(next) {
            return Ok(());
        }
        let what = match next {
            ChangeState::Approved => "approved",
            ChangeState::Applying => "applied",
            ChangeState::RollingBack => "rolled back",
            ChangeState::Rejected => "rejected",
            _ => next.as_str(),
        };
        let hint = match (self.state, next) {
            (ChangeState::Applied, ChangeState::Applying) => "; roll it back first to re-apply",
            (ChangeState::Applying, _) | (ChangeState::RollingBack, _) => {
                "; a build is running (see `indexpilot history`)"
            }
            (ChangeState::Superseded | ChangeState::Rejected, _) => {
                "; run `indexpilot advise` for current proposals"
            }
            (_, ChangeState::RollingBack) => "; only an applied change can be rolled back",
            _ => "",
        };
        Err(Error::InvalidInput(format!(
            "change {} is {}: it cannot be {what}{hint}",
            self.id, self.state
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::ChangeState::*;
    use super::*;

    #[test]
    fn the_state_machine_allows_the_documented_paths() {
        for path in [
            [
                Proposed,
                Approved,
                Applying,
                Applied,
                RollingBack,
                RolledBack,
                Applying,
                Applied,
            ],
            [
                Proposed,
                Applying,
                Failed,
                Applying,
                Applied,
                RollingBack,
                Applied,
                RollingBack,
            ],
        ] {
            for pair in path.windows(2) {
                assert!(pair[0].may_become(pair[1]), "{:?} → {:?}", pair[0], pair[1]);
            }
        }
        assert!(!Applied.may_become(Applying));
        assert!(!Proposed.may_become(Applied));
        assert!(!RolledBack.may_become(RollingBack));
        assert!(!Superseded.may_become(Applying));
        for s in [
            Proposed,
            Approved,
            Applying,
            Applied,
            Failed,
            RollingBack,
            RolledBack,
            Rejected,
            Superseded,
        ] {
            assert_eq!(ChangeState::parse(s.as_str()), Some(s));
        }
    }
}
