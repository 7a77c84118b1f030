//! Decides the kind of a period from the scanned facts and assembles it.

use chrono::Weekday;

use super::resolve::resolve_items;
use super::scan::{Expr, Facts, Item, Role};
use super::{PeriodContext, PeriodKind, Recurrence, Window};

type Parts = (PeriodKind, Vec<Window>, Option<Recurrence>);

pub(crate) fn build(facts: &Facts, ctx: &PeriodContext) -> Parts {
    build_resolved(facts, ctx).unwrap_or((PeriodKind::Unresolved, Vec::new(), None))
}

/// Precedence when a cell has several markers: a recurrence is the most
/// specific, then «по запросу», then «по плану», then «в течение».
fn build_resolved(facts: &Facts, ctx: &PeriodContext) -> Option<Parts> {
    // «по запросу ОО», «по плану работы ИМЦ»: the words after the marker
    // only say whose request or plan it is.
    let qualifiers_allowed = facts.on_request || facts.per_plan;
    if facts.unknown && !qualifiers_allowed {
        return None;
    }
    let recurrence = single_recurrence(facts)?;
    let windows = resolve_items(&facts.items, ctx)?;
    let stated_or_document = if facts.items.is_empty() {
        ctx.valid_document().into_iter().collect()
    } else {
        windows.clone()
    };
    let kind = if recurrence.is_some() {
        PeriodKind::Recurring
    } else if facts.on_request {
        PeriodKind::OnRequest
    } else if facts.per_plan {
        PeriodKind::PerPlan
    } else if facts.during {
        PeriodKind::During
    } else {
        return Some((dated_kind(&facts.items)?, windows, None));
    };
    Some((kind, stated_or_document, recurrence))
}

/// The cell's one recurrence (`Some(None)` when there is none), or `None`
/// when it names conflicting ones or a weekday without saying it repeats.
fn single_recurrence(facts: &Facts) -> Option<Option<Recurrence>> {
    let mut found: Vec<Recurrence> = Vec::new();
    for recurrence in &facts.recurrences {
        if !found.contains(recurrence) {
            found.push(recurrence.clone());
        }
    }
    if facts.weekly || !facts.weekdays.is_empty() {
        // A bare «вторник» could be one Tuesday or every Tuesday.
        if !facts.weekly {
            return None;
        }
        let mut days: Vec<Weekday> = facts.weekdays.clone();
        days.sort_by_key(|day| day.num_days_from_monday());
        found.push(Recurrence::Weekly(days));
    }
    match found.len() {
        0 => Some(None),
        1 => Some(found.pop()),
        _ => None,
    }
}

/// Kind of a cell made of dated expressions only: single dates are `on`,
/// one deadline is `by`, anything else plain is `range`. Mixing deadlines
/// or open starts with other expressions is not supported.
fn dated_kind(items: &[Item]) -> Option<PeriodKind> {
    match items {
        [] => None,
        [item] if matches!(item.role, Role::By | Role::ByEndOf) => Some(PeriodKind::By),
        [item] if item.role == Role::From => Some(PeriodKind::Range),
        _ if items.iter().any(|item| item.role != Role::Plain) => None,
        _ if items.iter().all(is_single_date) => Some(PeriodKind::On),
        _ => Some(PeriodKind::Range),
    }
}

fn is_single_date(item: &Item) -> bool {
    matches!(item.expr, Expr::Span { start, end } if start == end && end.day.is_some())
}
