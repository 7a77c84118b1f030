//! ШНОР: schools with low results.
//!
//! A rule cell fails when it has at least `min_participants` participants and
//! its failing share reaches `share` (exactly). A unit fails in a year when
//! any of its subject cells fails. A school is ШНОР for year Y when
//! (a) at least two distinct units fail in Y (`two_procedures`), or else
//! (b) a unit fails in Y-1 and the same unit (`two_years = "same"`) or any
//! unit (`"any"`) fails in Y (`two_years`).

use std::collections::BTreeSet;

use super::cells::{CellKey, Counts, SchoolResults, UnitKey};
use super::config::{RuleConfig, TwoYears};
use super::explain;
use super::model::{Decision, Reason};
use super::share::Share;

/// Whether a cell has enough participants to be considered.
pub(crate) fn enough(counts: Counts, rule: &RuleConfig) -> bool {
    counts.participants >= u64::from(rule.low_results.min_participants)
}

/// Whether a cell fails: enough participants and a share at the threshold.
pub(crate) fn cell_fails(counts: Counts, share: Share, rule: &RuleConfig) -> bool {
    enough(counts, rule) && share.reached_by(counts.failed, counts.participants)
}

/// Failing cells of a school in `year`, ordered by unit then subject.
pub(crate) fn failing_cells<'a>(
    school: &'a SchoolResults,
    year: i32,
    rule: &RuleConfig,
) -> Vec<(&'a CellKey, Counts)> {
    let share = rule.low_share();
    school
        .year(year)
        .filter(|(_, counts)| cell_fails(**counts, share, rule))
        .map(|(key, counts)| (key, *counts))
        .collect()
}

/// Distinct units among cells.
pub(crate) fn units_of(cells: &[(&CellKey, Counts)]) -> BTreeSet<UnitKey> {
    cells.iter().map(|(key, _)| key.unit).collect()
}

/// Decides whether `school` is ШНОР in `year`.
pub(crate) fn evaluate(school: &SchoolResults, year: i32, rule: &RuleConfig) -> Option<Decision> {
    let share = rule.low_share();
    let current = failing_cells(school, year, rule);
    let current_units = units_of(&current);
    if current_units.len() >= 2 {
        let cells: Vec<_> = current
            .iter()
            .map(|(key, counts)| school.summary(year, key, *counts))
            .collect();
        let explanation = format!(
            "ШНОР: в {} г. низкие результаты в {} оценочных процедурах — {}",
            year,
            current_units.len(),
            explain::join(cells.iter().map(|c| explain::failing_cell(c, share)))
        );
        return Some(Decision {
            school_id: school.school_id.clone(),
            reason: Reason::TwoProcedures,
            cells,
            explanation,
        });
    }
    if current.is_empty() {
        return None;
    }
    let previous_year = year.checked_sub(1)?;
    let previous = failing_cells(school, previous_year, rule);
    let previous_units = units_of(&previous);
    let deciding: BTreeSet<UnitKey> = match rule.low_results.two_years {
        TwoYears::Same => current_units
            .intersection(&previous_units)
            .copied()
            .collect(),
        TwoYears::Any if !previous_units.is_empty() => {
            current_units.union(&previous_units).copied().collect()
        }
        TwoYears::Any => BTreeSet::new(),
    };
    if deciding.is_empty() {
        return None;
    }
    let pick = |cells: &[(&CellKey, Counts)], y: i32| {
        cells
            .iter()
            .filter(|(key, _)| deciding.contains(&key.unit))
            .map(|(key, counts)| school.summary(y, key, *counts))
            .collect::<Vec<_>>()
    };
    let mut cells = pick(&previous, previous_year);
    cells.extend(pick(&current, year));
    let explanation = format!(
        "ШНОР: низкие результаты два года подряд ({}–{} гг.) — {}",
        previous_year,
        year,
        explain::join(cells.iter().map(|c| explain::failing_cell(c, share)))
    );
    Some(Decision {
        school_id: school.school_id.clone(),
        reason: Reason::TwoYears,
        cells,
        explanation,
    })
}
