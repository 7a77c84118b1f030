//! Parsing of the «Сроки» (period) cells of road maps.
//!
//! A cell is free Russian text such as «Сентябрь – октябрь 2022 г.»,
//! «до 15 апреля», «Ежемесячно» or «по запросу ОО». [`parse_period`] turns it
//! into a [`Period`]: what kind of period it is, the dated windows it covers
//! and, for repeated activities, how often they recur. [`occurrences`]
//! expands a period into concrete due dates.
//!
//! The parser never guesses: a cell it cannot read completely and
//! unambiguously is [`PeriodKind::Unresolved`] with no windows. A year that
//! the cell does not state is taken from the road map's own period
//! ([`PeriodContext::document`]) only when exactly one placement of the cell
//! fits inside that period.

mod build;
mod calendar;
mod lexicon;
mod occurrences;
mod recurrence;
mod resolve;
mod scan;
mod tokens;

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use calendar::{MonthDay, SchoolCalendar, TermSpec};
pub use occurrences::occurrences;

/// A parsed cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// The cell exactly as it was given.
    pub text: String,
    pub kind: PeriodKind,
    /// Dated windows, in the order the cell names them. Empty when
    /// unresolved or when a context-dependent period has no context.
    pub windows: Vec<Window>,
    pub recurrence: Option<Recurrence>,
}

/// An inclusive range of days; `from <= to` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// A window from `from` to `to`, or `None` when they are reversed.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Self> {
        (from <= to).then_some(Self { from, to })
    }

    /// A one-day window.
    pub fn day(date: NaiveDate) -> Self {
        Self {
            from: date,
            to: date,
        }
    }

    pub fn contains_date(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn contains(&self, other: &Window) -> bool {
        self.from <= other.from && other.to <= self.to
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Months, a month range or an explicit date range.
    Range,
    /// «до X»: a deadline.
    By,
    /// A single date.
    On,
    /// «в течение года», «постоянно»: the whole period.
    During,
    /// «ежемесячно», «каждый вторник»...
    Recurring,
    /// «по запросу».
    OnRequest,
    /// «по плану», «по графику», «по расписанию».
    PerPlan,
    /// Anything the parser cannot read without guessing.
    Unresolved,
}

/// How often a recurring activity repeats. Serialised as a string:
/// `weekly:mon,fri`, `monthly`, `quarterly`, `per_term`, `twice_a_year`,
/// `yearly` (see [`std::fmt::Display`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// Every listed weekday, Monday first. Empty when the cell says only
    /// «еженедельно» (serialised as plain `weekly`).
    Weekly(Vec<Weekday>),
    Monthly,
    Quarterly,
    /// «по итогам четверти»: at the end of every school term.
    PerTerm,
    TwiceAYear,
    Yearly,
}

/// What the parser knows besides the cell itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodContext {
    /// The road map's own period, e.g. 2022-09-01..2023-08-31.
    pub document: Option<Window>,
    pub calendar: SchoolCalendar,
}

impl PeriodContext {
    /// A context whose document period is school year `school_year`
    /// (1 September `school_year` – 31 August of the next year).
    pub fn school_year(school_year: i32) -> Self {
        Self {
            document: calendar::school_year_window(school_year),
            calendar: SchoolCalendar::default(),
        }
    }

    /// The document period, ignored when it is reversed.
    pub(crate) fn valid_document(&self) -> Option<Window> {
        self.document.filter(|doc| doc.from <= doc.to)
    }
}

/// Parses one «Сроки» cell. Never panics; the text is kept verbatim.
///
/// ```
/// use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};
///
/// let ctx = PeriodContext::school_year(2022);
/// let period = parse_period("Сентябрь – май", &ctx);
/// assert_eq!(period.kind, PeriodKind::Range);
/// assert_eq!(period.windows[0].from.to_string(), "2022-09-01");
/// assert_eq!(period.windows[0].to.to_string(), "2023-05-31");
///
/// let unknown = parse_period("Сентябрь – май", &PeriodContext::default());
/// assert_eq!(unknown.kind, PeriodKind::Unresolved);
/// ```
pub fn parse_period(text: &str, ctx: &PeriodContext) -> Period {
    let tokens = tokens::tokenize(text);
    let facts = scan::scan(&tokens);
    let (kind, windows, recurrence) = build::build(&facts, ctx);
    Period {
        text: text.to_string(),
        kind,
        windows,
        recurrence,
    }
}
