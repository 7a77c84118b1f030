//! Who may move an activity from one status to another, and on what conditions.
//!
//! The school side (the executor) works an activity through planned → in progress → done, may mark
//! a small activity done at once, may withdraw a «done» report back to «in progress», and picks up a
//! returned activity again. Only the reviewer (the curator) accepts or returns, and only a done
//! activity; an accepted one is final except that the reviewer may return it again.

use super::ActivityStatus;
use crate::access::Action;

use ActivityStatus::{Accepted, Done, InProgress, Planned, Returned};

/// Which side makes a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The school side: [`Action::Write`] on progress.
    Executor,
    /// The curator: [`Action::Review`] on progress.
    Reviewer,
}

impl Actor {
    /// The permission ([`crate::access`], resource `Progress`) this side needs.
    pub fn action(self) -> Action {
        match self {
            Self::Executor => Action::Write,
            Self::Reviewer => Action::Review,
        }
    }

    fn moves(self) -> &'static [(ActivityStatus, ActivityStatus)] {
        match self {
            Self::Executor => &[
                (Planned, InProgress),
                (Planned, Done),
                (InProgress, Done),
                (Done, InProgress),
                (Returned, InProgress),
                (Returned, Done),
            ],
            Self::Reviewer => &[(Done, Accepted), (Done, Returned), (Accepted, Returned)],
        }
    }

    fn may(self, from: ActivityStatus, to: ActivityStatus) -> bool {
        self.moves().contains(&(from, to))
    }
}

/// The side that sets status `to`: the reviewer accepts and returns, the executor does the rest.
pub fn actor_for(to: ActivityStatus) -> Actor {
    match to {
        Accepted | Returned => Actor::Reviewer,
        Planned | InProgress | Done => Actor::Executor,
    }
}

/// Why a status change is refused. Messages are shown to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Мероприятие уже в статусе «{}»", .0.label())]
    Unchanged(ActivityStatus),
    #[error("Нельзя перевести мероприятие из статуса «{}» в статус «{}»", .from.label(), .to.label())]
    NotAllowed {
        from: ActivityStatus,
        to: ActivityStatus,
    },
    #[error("Перевести мероприятие в статус «{}» может только проверяющий (куратор)", .to.label())]
    ReviewerOnly {
        from: ActivityStatus,
        to: ActivityStatus,
    },
    #[error("Перевести мероприятие в статус «{}» может только исполнитель (школа)", .to.label())]
    ExecutorOnly {
        from: ActivityStatus,
        to: ActivityStatus,
    },
    #[error("Возвращая мероприятие на доработку, напишите комментарий: что нужно исправить")]
    CommentRequired,
    #[error("Приложите подтверждающий документ: файл или ссылку")]
    EvidenceRequired,
}

/// Checks a status change by `actor`.
///
/// `comment` is required (non-blank) to return an activity. When the activity names an output
/// document (`needs_evidence`), it can be marked done, or accepted, only with evidence attached.
pub fn transition(
    from: ActivityStatus,
    to: ActivityStatus,
    actor: Actor,
    comment: &str,
    has_evidence: bool,
    needs_evidence: bool,
) -> Result<(), TransitionError> {
    if from == to {
        return Err(TransitionError::Unchanged(from));
    }
    if !actor.may(from, to) {
        return Err(match actor {
            Actor::Executor if Actor::Reviewer.may(from, to) => {
                TransitionError::ReviewerOnly { from, to }
            }
            Actor::Reviewer if Actor::Executor.may(from, to) => {
                TransitionError::ExecutorOnly { from, to }
            }
            _ => TransitionError::NotAllowed { from, to },
        });
    }
    if to == Returned && comment.trim().is_empty() {
        return Err(TransitionError::CommentRequired);
    }
    if to.is_completed() && needs_evidence && !has_evidence {
        return Err(TransitionError::EvidenceRequired);
    }
    Ok(())
}
