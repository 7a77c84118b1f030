//! Expansion of a period into the dates on which something is due.

use chrono::{Datelike, NaiveDate, Weekday};

use super::calendar::{last_day_of_month, school_year_of};
use super::{Period, PeriodContext, PeriodKind, Recurrence, SchoolCalendar, Window};

/// The due dates of `period`, sorted and without duplicates.
///
/// Recurring periods repeat inside their windows, or inside the document
/// period when the cell names no window. Each recurrence is due at the
/// *end* of the interval it covers, and only ends that fall inside the
/// window count (a window ending on 15 May has no May month end):
/// - weekly: every listed weekday; with no day listed, every Sunday (the
///   end of the week);
/// - monthly: the last day of each month;
/// - quarterly: 31 March, 30 June, 30 September, 31 December;
/// - per term: the end of each term of the calendar;
/// - twice a year: 31 December and 31 May;
/// - yearly: the end of each window.
///
/// `by` and `on` give their date, `range` and `during` the end of each
/// window. `on_request`, `per_plan` and `unresolved` have no predictable
/// dates and give none.
pub fn occurrences(period: &Period, ctx: &PeriodContext) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = match period.kind {
        PeriodKind::Recurring => {
            let Some(recurrence) = &period.recurrence else {
                return Vec::new();
            };
            let windows: Vec<Window> = if period.windows.is_empty() {
                ctx.valid_document().into_iter().collect()
            } else {
                period.windows.clone()
            };
            windows
                .iter()
                .flat_map(|window| recurring_dates(recurrence, window, &ctx.calendar))
                .collect()
        }
        PeriodKind::By | PeriodKind::On | PeriodKind::Range | PeriodKind::During => {
            period.windows.iter().map(|window| window.to).collect()
        }
        PeriodKind::OnRequest | PeriodKind::PerPlan | PeriodKind::Unresolved => Vec::new(),
    };
    dates.sort_unstable();
    dates.dedup();
    dates
}

fn recurring_dates(
    recurrence: &Recurrence,
    window: &Window,
    calendar: &SchoolCalendar,
) -> Vec<NaiveDate> {
    match recurrence {
        Recurrence::Weekly(days) if days.is_empty() => weekdays_in(&[Weekday::Sun], window),
        Recurrence::Weekly(days) => weekdays_in(days, window),
        Recurrence::Monthly => month_ends_in(window, |_| true),
        Recurrence::Quarterly => month_ends_in(window, |month| month % 3 == 0),
        Recurrence::PerTerm => school_years(window)
            .flat_map(|year| calendar.term_windows(year))
            .map(|term| term.to)
            .filter(|end| window.contains_date(*end))
            .collect(),
        Recurrence::TwiceAYear => school_years(window)
            .flat_map(|year| {
                [
                    NaiveDate::from_ymd_opt(year, 12, 31),
                    NaiveDate::from_ymd_opt(year + 1, 5, 31),
                ]
            })
            .flatten()
            .filter(|date| window.contains_date(*date))
            .collect(),
        Recurrence::Yearly => vec![window.to],
    }
}

fn weekdays_in(days: &[Weekday], window: &Window) -> Vec<NaiveDate> {
    window
        .from
        .iter_days()
        .take_while(|date| *date <= window.to)
        .filter(|date| days.contains(&date.weekday()))
        .collect()
}

/// Last days of the months (selected by number) that end inside `window`.
fn month_ends_in(window: &Window, selected: impl Fn(u32) -> bool) -> Vec<NaiveDate> {
    let mut ends = Vec::new();
    let (mut year, mut month) = (window.from.year(), window.from.month());
    while let Some(end) = last_day_of_month(year, month) {
        if end > window.to {
            break;
        }
        if end >= window.from && selected(month) {
            ends.push(end);
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    ends
}

/// The school years a window touches.
fn school_years(window: &Window) -> impl Iterator<Item = i32> {
    school_year_of(window.from)..=school_year_of(window.to)
}
