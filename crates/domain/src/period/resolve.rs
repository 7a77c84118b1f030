//! Turns the dated expressions of a cell into windows, filling in years
//! the text leaves out.
//!
//! A year the text omits is never guessed: every school year that could be
//! meant is tried, and the expression resolves only when exactly one of the
//! resulting windows lies inside the document period.

use chrono::{Datelike, NaiveDate};

use super::calendar::{
    calendar_year_of_month, last_day_of_month, month_window, school_year_window,
};
use super::scan::{Edge, Expr, Item, Point, Role, YearRef};
use super::{PeriodContext, SchoolCalendar, Window};

/// Years outside this range are treated as typos rather than dates.
const EARLIEST_YEAR: i32 = 1900;
const LATEST_YEAR: i32 = 2100;

/// A window and whether any of its years was supplied by an assumption
/// rather than by the text.
struct Resolved {
    window: Window,
    inferred: bool,
}

/// Resolves every item; `None` when any one cannot be resolved.
pub(crate) fn resolve_items(items: &[Item], ctx: &PeriodContext) -> Option<Vec<Window>> {
    propagate_years(items)
        .iter()
        .map(|item| resolve_item(item, ctx))
        .collect()
}

/// «Май, август 2023»: a month list shares the year written after its
/// last member, as long as the months run forward to that year's month.
fn propagate_years(items: &[Item]) -> Vec<Item> {
    let mut result = items.to_vec();
    let mut anchor: Option<(u32, i32)> = None;
    for item in result.iter_mut().rev() {
        anchor = match (&mut item.expr, item.role) {
            (Expr::Span { start, end }, Role::Plain) => inherit_year(start, end, anchor),
            _ => None,
        };
    }
    result
}

/// Fills the year of a year-less span from `anchor` (month, year) and
/// returns the anchor for the items before it.
fn inherit_year(
    start: &mut Point,
    end: &mut Point,
    anchor: Option<(u32, i32)>,
) -> Option<(u32, i32)> {
    let (Some(start_month), Some(end_month)) = (start.month, end.month) else {
        return None;
    };
    match (start.year, end.year) {
        (Some(year), _) => Some((start_month, year)),
        (None, None) => {
            let (anchor_month, year) = anchor?;
            if start_month <= end_month && end_month <= anchor_month {
                start.year = Some(year);
                end.year = Some(year);
                Some((start_month, year))
            } else {
                None
            }
        }
        (None, Some(_)) => None,
    }
}

fn resolve_item(item: &Item, ctx: &PeriodContext) -> Option<Window> {
    let window = resolve_in_context(&item.expr, ctx)?;
    let document = ctx.valid_document();
    match item.role {
        Role::Plain => Some(window),
        Role::By => (window.from == window.to).then(|| deadline(window.to, document)),
        Role::ByEndOf => Some(deadline(window.to, document)),
        Role::From => {
            let document = document?;
            Window::new(window.from.max(document.from), document.to)
        }
    }
}

/// «до X» runs from the document start when X lies in the document period
/// (the activity may happen at any time before X), otherwise it is X alone.
fn deadline(date: NaiveDate, document: Option<Window>) -> Window {
    match document {
        Some(doc) if doc.contains_date(date) => Window {
            from: doc.from,
            to: date,
        },
        _ => Window::day(date),
    }
}

/// The window of `expr`, with missing years taken from the document period
/// only when exactly one placement fits inside it.
fn resolve_in_context(expr: &Expr, ctx: &PeriodContext) -> Option<Window> {
    let calendar = &ctx.calendar;
    if let Some(resolved) = resolve_expr(expr, None, calendar)
        && !resolved.inferred
    {
        return Some(resolved.window);
    }
    let document = ctx.valid_document()?;
    let first = (document.from.year() - 1).max(EARLIEST_YEAR);
    let last = document.to.year().min(LATEST_YEAR);
    let mut fits: Vec<Window> = Vec::new();
    for school_year in first..=last {
        let Some(resolved) = resolve_expr(expr, Some(school_year), calendar) else {
            continue;
        };
        if document.contains(&resolved.window) && !fits.contains(&resolved.window) {
            fits.push(resolved.window);
            if fits.len() > 1 {
                return None;
            }
        }
    }
    fits.first().copied()
}

/// Resolves `expr`, using `assumed` as the school year for missing years.
fn resolve_expr(expr: &Expr, assumed: Option<i32>, calendar: &SchoolCalendar) -> Option<Resolved> {
    match *expr {
        Expr::Span { start, end } => resolve_span(start, end, assumed),
        Expr::Quarter { number, year } => resolve_quarter(number, year, assumed),
        Expr::HalfYear { number, year } => resolve_half_year(number, year, assumed, calendar),
        Expr::Term { number, year } => resolve_term(number, year, assumed, calendar),
        Expr::SchoolYear(year) => stated(school_year_window(year)?),
        Expr::SchoolYearEdge { edge, school_year } => {
            let (year, inferred) = stated_or_assumed(school_year, assumed)?;
            let window = school_year_edge(edge, year, calendar)?;
            Some(Resolved { window, inferred })
        }
    }
}

fn stated(window: Window) -> Option<Resolved> {
    Some(Resolved {
        window,
        inferred: false,
    })
}

fn stated_or_assumed(stated: Option<i32>, assumed: Option<i32>) -> Option<(i32, bool)> {
    match stated {
        Some(year) => Some((year, false)),
        None => assumed.map(|year| (year, true)),
    }
}

/// Orders points within one calendar year; a missing day counts as the
/// first (start) or the last (end) day of the month.
fn start_key(point: &Point) -> (u32, u32) {
    (point.month.unwrap_or(1), point.day.unwrap_or(1))
}

fn end_key(point: &Point) -> (u32, u32) {
    (point.month.unwrap_or(12), point.day.unwrap_or(31))
}

/// A span's years: stated ones are kept; a missing one is copied from the
/// other end (one year earlier or later when the months wrap around, which
/// counts as inferred); with none stated the school-year rule places the
/// start month in `assumed`.
fn resolve_span(mut start: Point, end: Point, assumed: Option<i32>) -> Option<Resolved> {
    if start.month.is_none() && start.day.is_some() {
        start.month = end.month;
        start.year = start.year.or(end.year);
    }
    let same_year = start_key(&start) <= end_key(&end);
    let wrap = i32::from(!same_year);
    let (start_year, end_year, inferred) = match (start.year, end.year) {
        (Some(s), Some(e)) => (s, e, false),
        (None, Some(e)) => (e - wrap, e, !same_year),
        (Some(s), None) => (s, s + wrap, !same_year),
        (None, None) => {
            let s = calendar_year_of_month(start.month?, assumed?);
            (s, s + wrap, true)
        }
    };
    let window = Window::new(first_day(start_year, &start)?, last_day(end_year, &end)?)?;
    Some(Resolved { window, inferred })
}

fn first_day(year: i32, point: &Point) -> Option<NaiveDate> {
    match (point.month, point.day) {
        (Some(month), day) => NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1)),
        (None, None) => NaiveDate::from_ymd_opt(year, 1, 1),
        (None, Some(_)) => None,
    }
}

fn last_day(year: i32, point: &Point) -> Option<NaiveDate> {
    match (point.month, point.day) {
        (Some(month), Some(day)) => NaiveDate::from_ymd_opt(year, month, day),
        (Some(month), None) => last_day_of_month(year, month),
        (None, None) => NaiveDate::from_ymd_opt(year, 12, 31),
        (None, Some(_)) => None,
    }
}

/// Calendar quarters; a school year places a quarter by its first month.
fn resolve_quarter(number: u32, year: YearRef, assumed: Option<i32>) -> Option<Resolved> {
    if !(1..=4).contains(&number) {
        return None;
    }
    let first_month = 3 * (number - 1) + 1;
    let (calendar_year, inferred) = match year {
        YearRef::Calendar(y) => (y, false),
        YearRef::School(y) => (calendar_year_of_month(first_month, y), false),
        YearRef::Unstated => (calendar_year_of_month(first_month, assumed?), true),
    };
    let window = Window::new(
        month_window(calendar_year, first_month)?.from,
        month_window(calendar_year, first_month + 2)?.to,
    )?;
    Some(Resolved { window, inferred })
}

/// A calendar half-year is January–June or July–December. A school
/// half-year is September–December, then January to the end of teaching.
fn resolve_half_year(
    number: u32,
    year: YearRef,
    assumed: Option<i32>,
    calendar: &SchoolCalendar,
) -> Option<Resolved> {
    let (school_year, inferred) = match year {
        YearRef::Calendar(y) => {
            let (from, to) = match number {
                1 => ((1, 1), (6, 30)),
                2 => ((7, 1), (12, 31)),
                _ => return None,
            };
            let window = Window::new(
                NaiveDate::from_ymd_opt(y, from.0, from.1)?,
                NaiveDate::from_ymd_opt(y, to.0, to.1)?,
            )?;
            return stated(window);
        }
        YearRef::School(y) => (y, false),
        YearRef::Unstated => (assumed?, true),
    };
    let window = match number {
        1 => Window::new(
            NaiveDate::from_ymd_opt(school_year, 9, 1)?,
            NaiveDate::from_ymd_opt(school_year, 12, 31)?,
        )?,
        2 => Window::new(
            NaiveDate::from_ymd_opt(school_year + 1, 1, 1)?,
            calendar.teaching_end(school_year)?,
        )?,
        _ => return None,
    };
    Some(Resolved { window, inferred })
}

/// A term of the configured calendar. With a calendar year, the term is
/// the one of that number whose start falls in that year.
fn resolve_term(
    number: u32,
    year: YearRef,
    assumed: Option<i32>,
    calendar: &SchoolCalendar,
) -> Option<Resolved> {
    let index = usize::try_from(number).ok()?.checked_sub(1)?;
    let term = calendar.terms.get(index)?;
    let (school_year, inferred) = match year {
        YearRef::Calendar(y) => (if term.start.month >= 9 { y } else { y - 1 }, false),
        YearRef::School(y) => (y, false),
        YearRef::Unstated => (assumed?, true),
    };
    let window = term.window(school_year)?;
    Some(Resolved { window, inferred })
}

/// The first or last teaching month: from the first term's start to the
/// end of that month, or from the start of the month in which the last
/// term ends to that end (1–31 May by default).
fn school_year_edge(edge: Edge, school_year: i32, calendar: &SchoolCalendar) -> Option<Window> {
    match edge {
        Edge::Start => {
            let start = calendar.teaching_start(school_year)?;
            Window::new(start, last_day_of_month(start.year(), start.month())?)
        }
        Edge::End => {
            let end = calendar.teaching_end(school_year)?;
            Window::new(end.with_day(1)?, end)
        }
    }
}
