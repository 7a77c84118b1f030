//! Зона риска снижения результатов.
//!
//! For a school that is not ШНОР in Y: some rule cell's failing share rose by
//! at least `rise_points` percentage points from Y-1 to Y, both cells having
//! enough participants (`share_rose`); or else, when `also_single_unit`,
//! exactly one unit fails in Y (`single_unit`).

use super::cells::SchoolResults;
use super::config::RuleConfig;
use super::explain;
use super::low_results::{enough, failing_cells, units_of};
use super::model::{Decision, Reason};

/// Decides whether `school` (already known not to be ШНОР) is declining.
pub(crate) fn evaluate(school: &SchoolResults, year: i32, rule: &RuleConfig) -> Option<Decision> {
    let points = rule.rise_points();
    let mut cells = Vec::new();
    let mut parts = Vec::new();
    if let Some(previous_year) = year.checked_sub(1) {
        for (key, after) in school.year(year) {
            let Some(before) = school.get(previous_year, key) else {
                continue;
            };
            if !enough(before, rule) || !enough(*after, rule) {
                continue;
            }
            if points.risen(
                (before.failed, before.participants),
                (after.failed, after.participants),
            ) {
                let old = school.summary(previous_year, key, before);
                let new = school.summary(year, key, *after);
                parts.push(format!(
                    "{} ({}): с {} ({} из {}) в {} г. до {} ({} из {}) в {} г.",
                    explain::unit_title(key.unit.procedure, key.unit.grade),
                    explain::subject_title(&key.subject),
                    explain::percent(before.failed, before.participants),
                    before.failed,
                    before.participants,
                    previous_year,
                    explain::percent(after.failed, after.participants),
                    after.failed,
                    after.participants,
                    year,
                ));
                cells.push(old);
                cells.push(new);
            }
        }
    }
    if !cells.is_empty() {
        let explanation = format!(
            "Зона риска: доля не преодолевших порог выросла не менее чем на {} — {}",
            explain::points_text(points),
            explain::join(parts)
        );
        return Some(Decision {
            school_id: school.school_id.clone(),
            reason: Reason::ShareRose,
            cells,
            explanation,
        });
    }
    if !rule.declining.also_single_unit {
        return None;
    }
    let failing = failing_cells(school, year, rule);
    if units_of(&failing).len() != 1 {
        return None;
    }
    let share = rule.low_share();
    let cells: Vec<_> = failing
        .iter()
        .map(|(key, counts)| school.summary(year, key, *counts))
        .collect();
    let explanation = format!(
        "Зона риска: в {} г. низкие результаты в одной оценочной процедуре — {}",
        year,
        explain::join(cells.iter().map(|c| explain::failing_cell(c, share)))
    );
    Some(Decision {
        school_id: school.school_id.clone(),
        reason: Reason::SingleUnit,
        cells,
        explanation,
    })
}
