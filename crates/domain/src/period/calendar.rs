//! The school year and its terms (четверти), plus small date helpers.
//!
//! A school year `Y` runs from 1 September `Y` to 31 August `Y + 1`, so
//! September–December belong to the calendar year `Y` and January–August
//! to `Y + 1`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Window;

/// A day of the year without the year: the year comes from the school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub const fn new(month: u32, day: u32) -> Self {
        Self { month, day }
    }

    /// The date in school year `school_year`; a day past the month's end
    /// (29 February in a common year) is clamped to the month's last day.
    pub fn in_school_year(self, school_year: i32) -> Option<NaiveDate> {
        let year = calendar_year_of_month(self.month, school_year);
        let last = last_day_of_month(year, self.month)?;
        NaiveDate::from_ymd_opt(year, self.month, self.day.clamp(1, last.day()))
    }
}

/// One term (четверть, триместр...) as month/day bounds, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSpec {
    pub start: MonthDay,
    pub end: MonthDay,
}

impl TermSpec {
    pub const fn new(start: MonthDay, end: MonthDay) -> Self {
        Self { start, end }
    }

    /// The term's dates in school year `school_year`.
    pub fn window(&self, school_year: i32) -> Option<Window> {
        Window::new(
            self.start.in_school_year(school_year)?,
            self.end.in_school_year(school_year)?,
        )
    }
}

/// The terms of a school year, in order. Configurable because regions and
/// schools (trimesters, modular schedules) differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCalendar {
    pub terms: Vec<TermSpec>,
}

impl Default for SchoolCalendar {
    /// The usual four quarters of a Russian school: 1 Sep – 28 Oct,
    /// 7 Nov – 28 Dec, 9 Jan – 22 Mar, 1 Apr – 31 May.
    fn default() -> Self {
        let term = |sm, sd, em, ed| TermSpec::new(MonthDay::new(sm, sd), MonthDay::new(em, ed));
        Self {
            terms: vec![
                term(9, 1, 10, 28),
                term(11, 7, 12, 28),
                term(1, 9, 3, 22),
                term(4, 1, 5, 31),
            ],
        }
    }
}

impl SchoolCalendar {
    /// Dated terms of school year `school_year`, skipping malformed specs.
    pub fn term_windows(&self, school_year: i32) -> Vec<Window> {
        self.terms
            .iter()
            .filter_map(|term| term.window(school_year))
            .collect()
    }

    /// The last day of teaching: the latest term end (31 May by default).
    pub fn teaching_end(&self, school_year: i32) -> Option<NaiveDate> {
        self.term_windows(school_year).iter().map(|w| w.to).max()
    }

    /// The first day of teaching: the earliest term start (1 September by default).
    pub fn teaching_start(&self, school_year: i32) -> Option<NaiveDate> {
        self.term_windows(school_year).iter().map(|w| w.from).min()
    }
}

/// Calendar year in which `month` falls within school year `school_year`.
pub(crate) fn calendar_year_of_month(month: u32, school_year: i32) -> i32 {
    if month >= 9 {
        school_year
    } else {
        school_year + 1
    }
}

/// The school year that a date belongs to.
pub(crate) fn school_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// 1 September `school_year` – 31 August of the next year.
pub(crate) fn school_year_window(school_year: i32) -> Option<Window> {
    Window::new(
        NaiveDate::from_ymd_opt(school_year, 9, 1)?,
        NaiveDate::from_ymd_opt(school_year + 1, 8, 31)?,
    )
}

pub(crate) fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

pub(crate) fn month_window(year: i32, month: u32) -> Option<Window> {
    Window::new(
        NaiveDate::from_ymd_opt(year, month, 1)?,
        last_day_of_month(year, month)?,
    )
}
