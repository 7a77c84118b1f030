//! Mentor candidates: consistently high results.
//!
//! For a school that is neither ШНОР nor declining in Y: in each of the last
//! `years` years up to Y it has at least `min_units` units with a rule cell
//! of enough participants, and every such cell's failing share is at most
//! `max_failed_share` (exactly).

use std::collections::BTreeSet;

use super::cells::SchoolResults;
use super::config::RuleConfig;
use super::explain;
use super::low_results::enough;
use super::model::{Decision, Reason};

/// Decides whether `school` is a mentor candidate in `year`.
pub(crate) fn evaluate(school: &SchoolResults, year: i32, rule: &RuleConfig) -> Option<Decision> {
    let ceiling = rule.mentor_share();
    let span = i32::try_from(rule.mentor.years).ok()?.max(1);
    let first_year = year.checked_sub(span - 1)?;
    let mut cells = Vec::new();
    for y in first_year..=year {
        let mut units = BTreeSet::new();
        for (key, counts) in school.year(y) {
            if !enough(*counts, rule) {
                continue;
            }
            if !ceiling.not_exceeded_by(counts.failed, counts.participants) {
                return None;
            }
            units.insert(key.unit);
            cells.push(school.summary(y, key, *counts));
        }
        if units.len() < usize::try_from(rule.mentor.min_units).unwrap_or(usize::MAX) {
            return None;
        }
    }
    let years_text = if first_year == year {
        format!("{year} г.")
    } else {
        format!("{first_year}–{year} гг.")
    };
    let explanation = format!(
        "Кандидат в наставники: в {} не менее {} оценочных процедур в год с числом участников не менее {}, \
         доля не преодолевших порог везде не выше {} — {}",
        years_text,
        rule.mentor.min_units,
        rule.low_results.min_participants,
        explain::share_percent(ceiling),
        explain::join(cells.iter().map(|c| explain::good_cell(c, ceiling)))
    );
    Some(Decision {
        school_id: school.school_id.clone(),
        reason: Reason::HighResults,
        cells,
        explanation,
    })
}
