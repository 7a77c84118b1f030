//! The road map's timeline: a Gantt-like chart drawn on the server as SVG, so it prints and works
//! without JavaScript. Windows are bars, recurring occurrences are ticks, today is a line.

use chrono::{Datelike, NaiveDate};
use orientir_domain::period::{Period, PeriodContext, PeriodKind, occurrences};
use orientir_domain::roadmap::RoadMap;

const LABEL_WIDTH: f64 = 260.0;
const CHART_WIDTH: f64 = 720.0;
const ROW_HEIGHT: f64 = 22.0;
const TOP: f64 = 28.0;
const MONTHS_SHORT: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];

pub struct MonthTick {
    pub x: f64,
    pub label: String,
}

pub struct Bar {
    pub x: f64,
    pub width: f64,
}

pub struct TimelineRow {
    pub y: f64,
    pub text_y: f64,
    pub label: String,
    pub period: String,
    pub bars: Vec<Bar>,
    pub ticks: Vec<f64>,
    pub unresolved: bool,
}

pub struct Timeline {
    pub width: f64,
    pub height: f64,
    pub label_width: f64,
    pub months: Vec<MonthTick>,
    pub rows: Vec<TimelineRow>,
    pub today: Option<f64>,
}

/// The span to draw: the document period widened to every dated window, so an activity dated
/// before the road map's own period (a summer analysis, say) is still on the chart.
fn span(map: &RoadMap) -> Option<(NaiveDate, NaiveDate)> {
    let windows = map
        .activities()
        .filter_map(|a| a.period.as_ref())
        .flat_map(|p| p.windows.iter())
        .chain(map.period.iter());
    windows.fold(None, |acc, w| match acc {
        None => Some((w.from, w.to)),
        Some((from, to)) => Some((from.min(w.from), to.max(w.to))),
    })
}

fn first_of_next_month(date: NaiveDate) -> Option<NaiveDate> {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(limit.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Lays the chart out; `None` when the road map has no dated period at all.
pub fn timeline(map: &RoadMap, today: NaiveDate) -> Option<Timeline> {
    let (from, to) = span(map)?;
    let days = (to - from).num_days().max(1) as f64;
    let x = |date: NaiveDate| {
        let clamped = date.clamp(from, to);
        LABEL_WIDTH + (clamped - from).num_days() as f64 / days * CHART_WIDTH
    };
    let mut months = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1)?;
    while month <= to {
        if month >= from {
            let name = MONTHS_SHORT[month.month0() as usize];
            // The year is written where it starts and at the first month, so a chart that spans
            // two calendar years reads unambiguously.
            let label = if months.is_empty() || month.month() == 1 {
                format!("{name} {}", month.year())
            } else {
                name.to_owned()
            };
            months.push(MonthTick { x: x(month), label });
        }
        month = first_of_next_month(month)?;
    }
    let context = PeriodContext {
        document: map.period,
        ..PeriodContext::default()
    };
    let rows: Vec<TimelineRow> = map
        .activities()
        .enumerate()
        .map(|(i, activity)| {
            let y = TOP + i as f64 * ROW_HEIGHT;
            let label = match &activity.number {
                Some(number) => format!("{number}. {}", activity.title),
                None => activity.title.clone(),
            };
            let period = activity.period.as_ref();
            let recurring = period.is_some_and(|p| p.kind == PeriodKind::Recurring);
            let bars = period
                .map(|p| {
                    p.windows
                        .iter()
                        .filter(|w| w.to >= from && w.from <= to)
                        .map(|w| Bar {
                            x: x(w.from),
                            width: (x(w.to) - x(w.from)).max(3.0),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let ticks = match period {
                Some(p) if recurring => occurrences(p, &context)
                    .into_iter()
                    .filter(|d| (from..=to).contains(d))
                    .map(x)
                    .collect(),
                _ => Vec::new(),
            };
            TimelineRow {
                y,
                text_y: y + ROW_HEIGHT * 0.68,
                label: shorten(&label, 40),
                period: period.map(|p: &Period| p.text.clone()).unwrap_or_default(),
                bars,
                ticks,
                unresolved: period.is_none_or(|p| p.kind == PeriodKind::Unresolved),
            }
        })
        .collect();
    let height = TOP + rows.len() as f64 * ROW_HEIGHT + 8.0;
    Some(Timeline {
        width: LABEL_WIDTH + CHART_WIDTH + 10.0,
        height,
        label_width: LABEL_WIDTH,
        months,
        rows,
        today: (from..=to).contains(&today).then(|| x(today)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use orientir_domain::period::parse_period;
    use orientir_domain::roadmap::{Activity, Level, Section};

    fn map(periods: &[&str]) -> RoadMap {
        let context = PeriodContext::school_year(2022);
        RoadMap {
            title: "Карта".to_owned(),
            level: Level::School,
            owner: None,
            order: None,
            period: context.document,
            goals: vec![],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![Section {
                title: "Раздел".to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: periods
                    .iter()
                    .map(|p| Activity {
                        number: None,
                        title: "Мероприятие".to_owned(),
                        period: Some(parse_period(p, &context)),
                        responsible: vec![],
                        output: None,
                        indicator: None,
                        publicity: None,
                        external_help: None,
                    })
                    .collect(),
            }],
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn windows_become_bars_and_recurrences_ticks() {
        let chart = timeline(
            &map(&[
                "Сентябрь – октябрь 2022 г. Февраль 2023г.",
                "Каждый вторник, Февраль – май 2023",
                "когда-нибудь",
            ]),
            date(2022, 12, 1),
        )
        .expect("a dated road map has a timeline");
        assert_eq!(
            chart.months.len(),
            12,
            "one tick per month of the school year"
        );
        assert_eq!(chart.months[0].label, "сен 2022");
        assert_eq!(chart.months[4].label, "янв 2023");
        assert_eq!(chart.months[5].label, "фев");
        assert_eq!(chart.rows[0].bars.len(), 2);
        assert!(chart.rows[0].bars[0].x < chart.rows[0].bars[1].x);
        assert_eq!(
            chart.rows[1].ticks.len(),
            17,
            "Tuesdays of February–May 2023"
        );
        assert!(chart.rows[2].unresolved);
        assert!(chart.rows[2].bars.is_empty());
        let today = chart.today.expect("1 December is inside the year");
        assert!(today > chart.months[2].x && today < chart.months[4].x);
    }

    #[test]
    fn today_outside_the_period_draws_no_line() {
        let chart = timeline(&map(&["Сентябрь 2022 г."]), date(2026, 1, 1)).expect("timeline");
        assert!(chart.today.is_none());
    }
}
