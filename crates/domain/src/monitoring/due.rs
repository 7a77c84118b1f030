//! When an activity is due, and whether it is overdue.

use chrono::NaiveDate;

use super::ActivityStatus;
use crate::period::{Period, PeriodContext, PeriodKind, occurrences};

/// The dates an activity is due, sorted; each gets its own status.
///
/// - A recurring period is due at each of its [`occurrences`] (one status per occurrence, keyed by
///   the date).
/// - A dated period (`range`, `by`, `on`, `during`) is due once, at the latest end of its windows.
/// - No period, an unresolved one, and «по запросу» / «по плану» (which name no predictable date,
///   even when they carry the document's window) have no due date: they are never overdue and do
///   not count in a checkpoint's filling.
pub fn due_dates(period: Option<&Period>, ctx: &PeriodContext) -> Vec<NaiveDate> {
    let Some(period) = period else {
        return Vec::new();
    };
    match period.kind {
        PeriodKind::Recurring => occurrences(period, ctx),
        PeriodKind::Range | PeriodKind::By | PeriodKind::On | PeriodKind::During => period
            .windows
            .iter()
            .map(|window| window.to)
            .max()
            .into_iter()
            .collect(),
        PeriodKind::OnRequest | PeriodKind::PerPlan | PeriodKind::Unresolved => Vec::new(),
    }
}

/// Overdue: the due date has passed (it is before `today`) and the activity is neither done nor
/// accepted. On the due date itself nothing is overdue yet. Derived, never stored.
pub fn is_overdue(status: ActivityStatus, due: NaiveDate, today: NaiveDate) -> bool {
    due < today && !status.is_completed()
}
