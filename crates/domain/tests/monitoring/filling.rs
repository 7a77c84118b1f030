//! Checkpoint filling: what counts, the boundaries, and the percentage.

use crate::common::{date, item};
use orientir_domain::monitoring::{ActivityStatus, Filling, filling};

use ActivityStatus::{Accepted, Done, InProgress, Planned, Returned};

#[test]
fn counts_items_due_by_the_checkpoint_done_with_evidence() {
    let items = [
        item("2025-03-15", Accepted, true),
        item("2025-03-20", Done, true),
        item("2025-03-25", Done, false),
        item("2025-03-31", InProgress, true),
        item("2025-04-01", Returned, true),
        item("2025-04-02", Done, true),
    ];
    let at = filling(&items, date("2025-04-01"));
    assert_eq!(at, Filling { done: 2, due: 5 });
    assert_eq!(at.percent(), 40);
    assert!(!at.is_complete());
}

#[test]
fn due_exactly_on_the_checkpoint_counts() {
    let items = [item("2025-04-01", Planned, false)];
    assert_eq!(
        filling(&items, date("2025-04-01")),
        Filling { done: 0, due: 1 }
    );
    assert_eq!(
        filling(&items, date("2025-03-31")),
        Filling { done: 0, due: 0 }
    );
}

#[test]
fn done_without_evidence_does_not_count() {
    let items = [
        item("2025-03-01", Done, false),
        item("2025-03-01", Accepted, false),
    ];
    let at = filling(&items, date("2025-04-01"));
    assert_eq!(at, Filling { done: 0, due: 2 });
    assert_eq!(at.percent(), 0);
}

#[test]
fn percent_rounds_down_and_is_100_only_when_complete() {
    assert_eq!(Filling { done: 2, due: 3 }.percent(), 66);
    assert_eq!(
        Filling {
            done: 199,
            due: 200
        }
        .percent(),
        99
    );
    assert_eq!(Filling { done: 1, due: 3 }.percent(), 33);
    assert_eq!(Filling { done: 3, due: 3 }.percent(), 100);
    assert!(Filling { done: 3, due: 3 }.is_complete());
    assert_eq!(
        Filling {
            done: u32::MAX - 1,
            due: u32::MAX
        }
        .percent(),
        99
    );
}

#[test]
fn nothing_due_is_complete() {
    let empty = filling(&[], date("2025-04-01"));
    assert_eq!(empty, Filling { done: 0, due: 0 });
    assert_eq!(empty.percent(), 100);
    assert!(empty.is_complete());
}

#[test]
fn a_complete_school() {
    let items = [
        item("2024-11-30", Accepted, true),
        item("2025-03-31", Done, true),
        item("2025-05-31", Planned, false),
    ];
    let at = filling(&items, date("2025-04-01"));
    assert_eq!(at, Filling { done: 2, due: 2 });
    assert_eq!(at.percent(), 100);
    assert!(at.is_complete());
}
