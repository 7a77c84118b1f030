//! A checkpoint's filling: how much of what was due by a date is done and documented.

use chrono::NaiveDate;

use super::ActivityStatus;

/// One activity (or one occurrence of a recurring one) with a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DueItem {
    pub due: NaiveDate,
    pub status: ActivityStatus,
    pub has_evidence: bool,
}

/// Of the items due by a checkpoint, how many are filled (done or accepted, with evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Filling {
    pub done: u32,
    pub due: u32,
}

impl Filling {
    /// Whole percent, rounded down, so 100 % means everything due is filled.
    ///
    /// A school with nothing due by the checkpoint has nothing left undone and counts as
    /// 100 % complete: it belongs on the list of schools that filled everything on time.
    pub fn percent(self) -> u32 {
        if self.is_complete() {
            return 100;
        }
        let percent = u64::from(self.done) * 100 / u64::from(self.due);
        u32::try_from(percent).expect("below 100 when done < due")
    }

    /// Everything due is filled (also when nothing is due).
    pub fn is_complete(self) -> bool {
        self.done >= self.due
    }
}

/// The filling at `checkpoint`: items due on or before it that are done or accepted and have
/// evidence, over all items due on or before it. Done without evidence does not count.
pub fn filling(items: &[DueItem], checkpoint: NaiveDate) -> Filling {
    let due_by = || items.iter().filter(|item| item.due <= checkpoint);
    let filled = due_by().filter(|item| item.status.is_completed() && item.has_evidence);
    Filling {
        done: count(filled),
        due: count(due_by()),
    }
}

fn count<'a>(items: impl Iterator<Item = &'a DueItem>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}
