//! Due dates from real «Сроки» cells, and overdue marks.

use crate::common::date;
use chrono::NaiveDate;
use orientir_domain::monitoring::{ActivityStatus, due_dates, is_overdue};
use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};

fn due(text: &str) -> Vec<NaiveDate> {
    let ctx = PeriodContext::school_year(2024);
    let period = parse_period(text, &ctx);
    due_dates(Some(&period), &ctx)
}

#[test]
fn a_deadline_is_due_on_its_date() {
    assert_eq!(due("до 01.04.2025"), [date("2025-04-01")]);
    assert_eq!(due("до 01.06"), [date("2025-06-01")]);
}

#[test]
fn a_range_is_due_at_the_end_of_its_last_window() {
    assert_eq!(due("Сентябрь – октябрь 2024 г."), [date("2024-10-31")]);
    assert_eq!(
        due("Сентябрь – октябрь 2024 г. Февраль 2025г."),
        [date("2025-02-28")]
    );
    assert_eq!(due("25.12.2024"), [date("2024-12-25")]);
}

#[test]
fn during_the_school_year_is_due_at_its_end() {
    assert_eq!(due("в течение учебного года"), [date("2025-08-31")]);
}

#[test]
fn a_monthly_activity_is_due_at_every_month_end() {
    let dates = due("ежемесячно");
    assert_eq!(dates.len(), 12);
    assert_eq!(dates.first(), Some(&date("2024-09-30")));
    assert_eq!(dates.get(5), Some(&date("2025-02-28")));
    assert_eq!(dates.last(), Some(&date("2025-08-31")));
    assert!(dates.windows(2).all(|pair| pair[0] < pair[1]));

    let school_months = due("Ежемесячно, сентябрь – май");
    assert_eq!(school_months.len(), 9);
    assert_eq!(school_months.last(), Some(&date("2025-05-31")));
}

#[test]
fn unresolved_and_undated_periods_have_no_due_date() {
    let ctx = PeriodContext::school_year(2024);
    for text in ["в течение месяца", "3 раза в месяц", "до конца года"]
    {
        let period = parse_period(text, &ctx);
        assert_eq!(period.kind, PeriodKind::Unresolved, "{text}");
        assert!(due_dates(Some(&period), &ctx).is_empty(), "{text}");
    }
    // «по запросу» carries the document's window but names no date.
    let on_request = parse_period("по запросу ОО", &ctx);
    assert_eq!(on_request.kind, PeriodKind::OnRequest);
    assert!(due_dates(Some(&on_request), &ctx).is_empty());
    assert!(due_dates(None, &ctx).is_empty());
    // Without the document's year a month range cannot be placed.
    let no_year = PeriodContext::default();
    assert!(due_dates(Some(&parse_period("Сентябрь – май", &no_year)), &no_year).is_empty());
}

#[test]
fn overdue_is_after_the_due_date_and_not_done() {
    let due = date("2025-04-01");
    let (before, on, after) = (date("2025-03-31"), due, date("2025-04-02"));
    for status in ActivityStatus::ALL {
        assert!(!is_overdue(status, due, before), "{status:?}");
        assert!(!is_overdue(status, due, on), "{status:?}");
    }
    for status in [
        ActivityStatus::Planned,
        ActivityStatus::InProgress,
        ActivityStatus::Returned,
    ] {
        assert!(is_overdue(status, due, after), "{status:?}");
    }
    for status in [ActivityStatus::Done, ActivityStatus::Accepted] {
        assert!(!is_overdue(status, due, after), "{status:?}");
    }
}
