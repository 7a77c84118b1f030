//! The execution status of an activity (or of one occurrence of a recurring activity).

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where an activity stands. Overdue is not a status: it is derived (see [`super::is_overdue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Planned,
    InProgress,
    /// Reported done by the school; awaits the curator's review.
    Done,
    /// Accepted by the reviewer.
    Accepted,
    /// Returned by the reviewer for rework, with a comment.
    Returned,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 5] = [
        ActivityStatus::Planned,
        ActivityStatus::InProgress,
        ActivityStatus::Done,
        ActivityStatus::Accepted,
        ActivityStatus::Returned,
    ];

    /// The stored code: `planned`, `in_progress`, `done`, `accepted`, `returned`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Accepted => "accepted",
            Self::Returned => "returned",
        }
    }

    /// The status of a stored code (surrounding spaces ignored).
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|status| status.code() == code.trim())
            .ok_or_else(|| DomainError::InvalidActivityStatus(code.trim().to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Запланировано",
            Self::InProgress => "Выполняется",
            Self::Done => "Выполнено",
            Self::Accepted => "Принято",
            Self::Returned => "Возвращено на доработку",
        }
    }

    /// Done by the school, whether or not reviewed yet: what counts against a deadline.
    pub fn is_completed(self) -> bool {
        matches!(self, Self::Done | Self::Accepted)
    }
}
