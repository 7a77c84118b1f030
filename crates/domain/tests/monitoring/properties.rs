//! Properties of checkpoint filling over arbitrary items.

use chrono::{Days, NaiveDate};
use orientir_domain::monitoring::{ActivityStatus, DueItem, filling};
use proptest::prelude::*;
use proptest::sample::select;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 9, 1)
        .and_then(|start| start.checked_add_days(Days::new(offset)))
        .expect("a day of the school year")
}

fn due_item() -> impl Strategy<Value = DueItem> {
    (0..365u64, select(&ActivityStatus::ALL[..]), any::<bool>()).prop_map(
        |(offset, status, has_evidence)| DueItem {
            due: day(offset),
            status,
            has_evidence,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn done_is_bounded_and_100_percent_means_complete(
        items in proptest::collection::vec(due_item(), 0..40),
        checkpoint in 0..365u64,
    ) {
        let at = filling(&items, day(checkpoint));
        prop_assert!(at.done <= at.due);
        prop_assert!(at.percent() <= 100);
        prop_assert_eq!(at.percent() == 100, at.is_complete());
        prop_assert_eq!(at.is_complete(), at.done == at.due);
        let due_by = items.iter().filter(|item| item.due <= day(checkpoint)).count();
        prop_assert_eq!(usize::try_from(at.due).expect("small"), due_by);
    }

    #[test]
    fn a_later_checkpoint_never_has_fewer_items_due(
        items in proptest::collection::vec(due_item(), 0..40),
        a in 0..365u64,
        b in 0..365u64,
    ) {
        let (early, late) = (a.min(b), a.max(b));
        prop_assert!(filling(&items, day(early)).due <= filling(&items, day(late)).due);
    }
}
