//! The school card's results: per assessment procedure and subject, grades pooled, the share of
//! participants below the minimum threshold in each year, as a table and a small SVG bar chart
//! with the ШНОР threshold drawn as a line.

use std::collections::{BTreeMap, BTreeSet};

use orientir_domain::identify::{Procedure, subject_title};
use orientir_store::StoredResultCell;

/// Height of a row's chart; a share of 100 % fills it.
const CHART_HEIGHT: f64 = 36.0;
const BAR_WIDTH: f64 = 18.0;
const BAR_GAP: f64 = 6.0;
/// The default ШНОР threshold, drawn for orientation (DESIGN.md §4.4).
const THRESHOLD: f64 = 0.30;

pub struct YearCell {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub height: f64,
    /// At or above the default threshold.
    pub high: bool,
}

pub struct ResultRow {
    pub label: String,
    pub cells: Vec<Option<YearCell>>,
}

pub struct ResultsView {
    pub years: Vec<i32>,
    pub rows: Vec<ResultRow>,
    pub chart_width: f64,
    pub chart_height: f64,
    pub threshold_y: f64,
}

fn percent(failed: u64, participants: u64) -> String {
    if participants == 0 {
        return "—".to_owned();
    }
    // Half a percent rounds up, as people round: 1 of 8 is 13 %.
    let share = (failed as f64 * 100.0 / participants as f64).round();
    format!("{failed} из {participants} ({share}\u{a0}%)")
}

/// Builds the view, or `None` when the school has no stored results.
pub fn results_view(cells: &[StoredResultCell]) -> Option<ResultsView> {
    if cells.is_empty() {
        return None;
    }
    let mut pooled: BTreeMap<(Procedure, String), BTreeMap<i32, (u64, u64)>> = BTreeMap::new();
    let mut years = BTreeSet::new();
    for stored in cells {
        let cell = &stored.cell;
        years.insert(cell.year);
        let entry = pooled
            .entry((cell.procedure, cell.subject.clone()))
            .or_default()
            .entry(cell.year)
            .or_default();
        entry.0 += cell.participants;
        entry.1 += cell.failed;
    }
    let years: Vec<i32> = years.into_iter().collect();
    let rows = pooled
        .into_iter()
        .map(|((procedure, subject), by_year)| ResultRow {
            label: format!("{}, {}", procedure.title(), subject_title(&subject)),
            cells: years
                .iter()
                .enumerate()
                .map(|(i, year)| {
                    by_year.get(year).map(|&(participants, failed)| {
                        let share = if participants == 0 {
                            0.0
                        } else {
                            failed as f64 / participants as f64
                        };
                        let height = (share * CHART_HEIGHT).max(1.0);
                        YearCell {
                            text: percent(failed, participants),
                            x: i as f64 * (BAR_WIDTH + BAR_GAP),
                            y: CHART_HEIGHT - height,
                            height,
                            high: share >= THRESHOLD,
                        }
                    })
                })
                .collect(),
        })
        .collect();
    Some(ResultsView {
        chart_width: years.len() as f64 * (BAR_WIDTH + BAR_GAP),
        chart_height: CHART_HEIGHT,
        threshold_y: CHART_HEIGHT * (1.0 - THRESHOLD),
        years,
        rows,
    })
}
