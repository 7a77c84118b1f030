//! Every status change for each side: allowed, forbidden, and the conditions on the allowed ones.

use orientir_domain::DomainError;
use orientir_domain::access::Action;
use orientir_domain::monitoring::{ActivityStatus, Actor, TransitionError, actor_for, transition};

use ActivityStatus::{Accepted, Done, InProgress, Planned, Returned};

/// What the school side may do.
const EXECUTOR: &[(ActivityStatus, ActivityStatus)] = &[
    (Planned, InProgress),
    (Planned, Done),
    (InProgress, Done),
    (Done, InProgress),
    (Returned, InProgress),
    (Returned, Done),
];

/// What the reviewer (curator) may do.
const REVIEWER: &[(ActivityStatus, ActivityStatus)] =
    &[(Done, Accepted), (Done, Returned), (Accepted, Returned)];

fn allowed(actor: Actor) -> &'static [(ActivityStatus, ActivityStatus)] {
    match actor {
        Actor::Executor => EXECUTOR,
        Actor::Reviewer => REVIEWER,
    }
}

/// With a comment and evidence, so that only the move itself is judged.
fn try_move(from: ActivityStatus, to: ActivityStatus, actor: Actor) -> Result<(), TransitionError> {
    transition(from, to, actor, "исправьте отчёт", true, true)
}

#[test]
fn every_pair_for_every_side() {
    let mut checked = 0;
    for actor in [Actor::Executor, Actor::Reviewer] {
        let other = match actor {
            Actor::Executor => Actor::Reviewer,
            Actor::Reviewer => Actor::Executor,
        };
        for from in ActivityStatus::ALL {
            for to in ActivityStatus::ALL {
                let expected = if from == to {
                    Err(TransitionError::Unchanged(from))
                } else if allowed(actor).contains(&(from, to)) {
                    Ok(())
                } else if allowed(other).contains(&(from, to)) {
                    Err(match actor {
                        Actor::Executor => TransitionError::ReviewerOnly { from, to },
                        Actor::Reviewer => TransitionError::ExecutorOnly { from, to },
                    })
                } else {
                    Err(TransitionError::NotAllowed { from, to })
                };
                assert_eq!(
                    try_move(from, to, actor),
                    expected,
                    "{actor:?}: {from:?} → {to:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 50);
}

#[test]
fn forbidden_moves_named() {
    // Back to planned is never possible.
    for from in [InProgress, Done, Accepted, Returned] {
        for actor in [Actor::Executor, Actor::Reviewer] {
            assert_eq!(
                try_move(from, Planned, actor),
                Err(TransitionError::NotAllowed { from, to: Planned })
            );
        }
    }
    // The school cannot accept its own work nor undo an acceptance.
    assert_eq!(
        try_move(Done, Accepted, Actor::Executor),
        Err(TransitionError::ReviewerOnly {
            from: Done,
            to: Accepted
        })
    );
    assert_eq!(
        try_move(Accepted, InProgress, Actor::Executor),
        Err(TransitionError::NotAllowed {
            from: Accepted,
            to: InProgress
        })
    );
    // Only done work is reviewed.
    for from in [Planned, InProgress, Returned] {
        assert_eq!(
            try_move(from, Accepted, Actor::Reviewer),
            Err(TransitionError::NotAllowed { from, to: Accepted })
        );
    }
    assert_eq!(
        try_move(Planned, Returned, Actor::Reviewer),
        Err(TransitionError::NotAllowed {
            from: Planned,
            to: Returned
        })
    );
    // The reviewer does not report progress for the school.
    assert_eq!(
        try_move(Planned, InProgress, Actor::Reviewer),
        Err(TransitionError::ExecutorOnly {
            from: Planned,
            to: InProgress
        })
    );
}

#[test]
fn returning_needs_a_comment() {
    for from in [Done, Accepted] {
        for blank in ["", "   ", "\n\t"] {
            assert_eq!(
                transition(from, Returned, Actor::Reviewer, blank, true, true),
                Err(TransitionError::CommentRequired)
            );
        }
        assert_eq!(
            transition(from, Returned, Actor::Reviewer, "нет протокола", true, true),
            Ok(())
        );
    }
    // Other moves take no comment.
    assert_eq!(
        transition(Done, Accepted, Actor::Reviewer, "", true, true),
        Ok(())
    );
    assert_eq!(
        transition(Planned, InProgress, Actor::Executor, "", false, true),
        Ok(())
    );
}

#[test]
fn done_needs_evidence_when_the_activity_names_an_output() {
    for from in [Planned, InProgress, Returned] {
        assert_eq!(
            transition(from, Done, Actor::Executor, "", false, true),
            Err(TransitionError::EvidenceRequired)
        );
        assert_eq!(
            transition(from, Done, Actor::Executor, "", true, true),
            Ok(())
        );
        assert_eq!(
            transition(from, Done, Actor::Executor, "", false, false),
            Ok(())
        );
    }
    // Accepting checks it again (the evidence may have been removed since).
    assert_eq!(
        transition(Done, Accepted, Actor::Reviewer, "", false, true),
        Err(TransitionError::EvidenceRequired)
    );
    assert_eq!(
        transition(Done, Accepted, Actor::Reviewer, "", false, false),
        Ok(())
    );
    // Not needed to start, withdraw or return.
    assert_eq!(
        transition(Planned, InProgress, Actor::Executor, "", false, true),
        Ok(())
    );
    assert_eq!(
        transition(Done, InProgress, Actor::Executor, "", false, true),
        Ok(())
    );
    assert_eq!(
        transition(
            Done,
            Returned,
            Actor::Reviewer,
            "где документ?",
            false,
            true
        ),
        Ok(())
    );
}

#[test]
fn messages_are_russian() {
    assert_eq!(
        TransitionError::EvidenceRequired.to_string(),
        "Приложите подтверждающий документ: файл или ссылку"
    );
    assert_eq!(
        try_move(Accepted, Done, Actor::Executor)
            .expect_err("forbidden")
            .to_string(),
        "Нельзя перевести мероприятие из статуса «Принято» в статус «Выполнено»"
    );
    assert_eq!(
        try_move(Done, Returned, Actor::Executor)
            .expect_err("reviewer only")
            .to_string(),
        "Перевести мероприятие в статус «Возвращено на доработку» может только проверяющий (куратор)"
    );
    assert_eq!(
        try_move(Done, Done, Actor::Executor)
            .expect_err("same")
            .to_string(),
        "Мероприятие уже в статусе «Выполнено»"
    );
    let error = DomainError::from(TransitionError::CommentRequired);
    assert_eq!(
        error.to_string(),
        TransitionError::CommentRequired.to_string()
    );
}

#[test]
fn each_status_has_its_side_and_permission() {
    for to in ActivityStatus::ALL {
        let actor = actor_for(to);
        let reachable = ActivityStatus::ALL
            .into_iter()
            .any(|from| allowed(actor).contains(&(from, to)));
        assert!(reachable || to == Planned, "{to:?} is set by {actor:?}");
    }
    assert_eq!(actor_for(Accepted), Actor::Reviewer);
    assert_eq!(actor_for(Returned), Actor::Reviewer);
    assert_eq!(actor_for(Done), Actor::Executor);
    assert_eq!(Actor::Executor.action(), Action::Write);
    assert_eq!(Actor::Reviewer.action(), Action::Review);
}
