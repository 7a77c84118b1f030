//! Expansion of periods into due dates, and the configurable calendar.

use crate::common::{date, window};
use chrono::{Datelike, Weekday};
use orientir_domain::period::{
    MonthDay, PeriodContext, PeriodKind, SchoolCalendar, TermSpec, occurrences, parse_period,
};

fn dates_of(text: &str, ctx: &PeriodContext) -> Vec<String> {
    let period = parse_period(text, ctx);
    occurrences(&period, ctx)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn trimesters() -> SchoolCalendar {
    let term = |sm, sd, em, ed| TermSpec::new(MonthDay::new(sm, sd), MonthDay::new(em, ed));
    SchoolCalendar {
        terms: vec![term(9, 1, 11, 30), term(12, 1, 2, 28), term(3, 1, 5, 25)],
    }
}

#[test]
fn every_tuesday_from_february_to_may_2022() {
    let ctx = PeriodContext::default();
    let period = parse_period("Каждый вторник, Февраль – май 2022", &ctx);
    let dates = occurrences(&period, &ctx);
    // 1 February 2022 is itself a Tuesday, so there are 18 of them (4 + 5 + 4 + 5).
    assert_eq!(dates.len(), 18);
    assert!(dates.iter().all(|d| d.weekday() == Weekday::Tue));
    assert_eq!(dates.first(), Some(&date("2022-02-01")));
    assert_eq!(dates.last(), Some(&date("2022-05-31")));
}

#[test]
fn every_tuesday_from_february_to_may_2023_is_seventeen() {
    let ctx = PeriodContext::default();
    let dates = dates_of("каждый вторник, февраль – май 2023", &ctx);
    assert_eq!(dates.len(), 17);
}

#[test]
fn weekly_on_several_days_uses_the_document_period() {
    let ctx = PeriodContext::school_year(2022);
    let period = parse_period("Еженедельно, понедельник, пятница", &ctx);
    let dates = occurrences(&period, &ctx);
    // 2022-09-01..2023-08-31 has 52 Mondays and 52 Fridays.
    assert_eq!(dates.len(), 104);
    assert!(
        dates
            .iter()
            .all(|d| matches!(d.weekday(), Weekday::Mon | Weekday::Fri))
    );
    assert_eq!(dates[0], date("2022-09-02"));
}

#[test]
fn weekly_without_a_day_falls_on_sundays() {
    let ctx = PeriodContext::default();
    let dates = dates_of("еженедельно, сентябрь 2022", &ctx);
    assert_eq!(
        dates,
        ["2022-09-04", "2022-09-11", "2022-09-18", "2022-09-25"]
    );
}

#[test]
fn monthly_gives_the_last_day_of_each_month() {
    let ctx = PeriodContext::school_year(2022);
    let dates = dates_of("Ежемесячно", &ctx);
    assert_eq!(dates.len(), 12);
    assert_eq!(dates[0], "2022-09-30");
    assert_eq!(dates[5], "2023-02-28");
    assert_eq!(dates[11], "2023-08-31");
}

#[test]
fn monthly_skips_a_month_whose_end_is_outside_the_window() {
    let ctx = PeriodContext::default();
    let dates = dates_of("ежемесячно, с 10.02.2022 по 15.05.2022", &ctx);
    assert_eq!(dates, ["2022-02-28", "2022-03-31", "2022-04-30"]);
}

#[test]
fn quarterly_gives_quarter_ends() {
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(
        dates_of("1 раз в квартал", &ctx),
        ["2022-09-30", "2022-12-31", "2023-03-31", "2023-06-30"]
    );
}

#[test]
fn per_term_gives_term_ends_of_the_default_calendar() {
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(
        dates_of("По итогам каждой четверти", &ctx),
        ["2022-10-28", "2022-12-28", "2023-03-22", "2023-05-31"]
    );
}

#[test]
fn per_term_follows_a_configured_calendar() {
    let ctx = PeriodContext {
        calendar: trimesters(),
        ..PeriodContext::school_year(2022)
    };
    assert_eq!(
        dates_of("по итогам четверти", &ctx),
        ["2022-11-30", "2023-02-28", "2023-05-25"]
    );
}

#[test]
fn per_term_over_two_school_years() {
    let ctx = crate::common::document("2022-09-01", "2024-08-31");
    assert_eq!(dates_of("по итогам четверти", &ctx).len(), 8);
}

#[test]
fn twice_a_year_gives_december_and_may() {
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(dates_of("2 раза в год", &ctx), ["2022-12-31", "2023-05-31"]);
}

#[test]
fn yearly_gives_the_window_end() {
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(dates_of("Ежегодно", &ctx), ["2023-08-31"]);
}

#[test]
fn recurring_without_any_window_has_no_dates() {
    let ctx = PeriodContext::default();
    assert!(dates_of("Ежемесячно", &ctx).is_empty());
}

#[test]
fn recurrence_uses_the_document_when_the_cell_has_no_window() {
    let parsed_without = parse_period("Ежемесячно", &PeriodContext::default());
    assert!(parsed_without.windows.is_empty());
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(occurrences(&parsed_without, &ctx).len(), 12);
}

#[test]
fn non_recurring_periods_give_their_end_dates() {
    let ctx = PeriodContext::school_year(2022);
    assert_eq!(dates_of("до 15 апреля", &ctx), ["2023-04-15"]);
    assert_eq!(dates_of("01.09.2022", &ctx), ["2022-09-01"]);
    assert_eq!(
        dates_of("Сентябрь – октябрь 2022 г. Февраль 2023г.", &ctx),
        ["2022-10-31", "2023-02-28"]
    );
    assert_eq!(dates_of("В течение года", &ctx), ["2023-08-31"]);
}

#[test]
fn undatable_periods_give_no_dates() {
    let ctx = PeriodContext::school_year(2022);
    for text in ["по запросу ОО", "по годовому плану", "абракадабра"]
    {
        assert!(dates_of(text, &ctx).is_empty(), "{text}");
    }
}

#[test]
fn configured_calendar_changes_terms_and_school_year_end() {
    let ctx = PeriodContext {
        calendar: trimesters(),
        ..PeriodContext::school_year(2022)
    };
    let second = parse_period("2 четверть", &ctx);
    assert_eq!(second.kind, PeriodKind::Range);
    assert_eq!(second.windows, [window("2022-12-01", "2023-02-28")]);
    assert!(parse_period("4 четверть", &ctx).windows.is_empty());
    assert_eq!(
        parse_period("В конце учебного года", &ctx).windows,
        [window("2023-05-01", "2023-05-25")]
    );
    assert_eq!(
        parse_period("II полугодие 2022-2023 уч.г.", &ctx).windows,
        [window("2023-01-01", "2023-05-25")]
    );
}

#[test]
fn calendar_clamps_february_29_in_common_years() {
    let term = TermSpec::new(MonthDay::new(1, 9), MonthDay::new(2, 29));
    assert_eq!(term.window(2022), Some(window("2023-01-09", "2023-02-28")));
    assert_eq!(term.window(2023), Some(window("2024-01-09", "2024-02-29")));
}

#[test]
fn an_empty_calendar_leaves_term_phrases_unresolved() {
    let ctx = PeriodContext {
        calendar: SchoolCalendar { terms: Vec::new() },
        ..PeriodContext::school_year(2022)
    };
    assert_eq!(
        parse_period("1 четверть", &ctx).kind,
        PeriodKind::Unresolved
    );
    assert_eq!(
        parse_period("В конце учебного года", &ctx).kind,
        PeriodKind::Unresolved
    );
    assert!(dates_of("по итогам четверти", &ctx).is_empty());
}
