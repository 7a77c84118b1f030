//! The identification rule engine: from per-school result cells to the lists
//! of schools needing support (ШНОР, зона риска, ШНСУ) and mentor candidates,
//! each with Russian explanations. Pure logic, no I/O.

mod cells;
mod config;
mod declining;
mod ege;
mod explain;
mod low_results;
mod mentor;
mod model;
mod share;
mod social_risk;

use std::collections::{BTreeSet, HashSet};
use std::ops::RangeInclusive;

pub use config::{
    DEFAULT_RULE_TOML, DecliningRule, LowResultsRule, MentorRule, RuleConfig, RuleError,
    SocialRiskRule, SocialWeights, TwoYears, UnitKind, cell_from_pupils, fails,
};
pub use ege::failed_below;
pub use explain::{percent, share_percent, subject_title, unit_title};
pub use model::{
    Cell, CellSummary, Decision, Identification, Procedure, Reason, SOCIAL_FACTOR_NAMES,
    SOCIAL_FACTORS, SchoolContext, SocialDecision, Transitions,
};
pub use share::{Points, SHARE_DENOMINATOR, Share};

/// Applies `rule` for `year`.
///
/// Only the years the rule looks at are used: Y-1 and Y for ШНОР and the
/// declining list, the last `mentor.years` years for mentors. Runs in
/// O(n log n) of the number of cells and schools.
pub fn identify(
    cells: &[Cell],
    schools: &[SchoolContext],
    year: i32,
    rule: &RuleConfig,
) -> Identification {
    let known: HashSet<&str> = schools.iter().map(|s| s.school_id.as_str()).collect();
    let aggregated = cells::aggregate(cells, &known, rule, analysed_years(year, rule));

    let mut low = Vec::new();
    let mut declining_list = Vec::new();
    let mut mentors = Vec::new();
    let mut ignored = Vec::new();
    for school in &aggregated.schools {
        for (y, year_cells) in &school.years {
            for (key, counts) in year_cells {
                if !low_results::enough(*counts, rule) {
                    ignored.push(school.summary(*y, key, *counts));
                }
            }
        }
        if let Some(decision) = low_results::evaluate(school, year, rule) {
            low.push(decision);
        } else if let Some(decision) = declining::evaluate(school, year, rule) {
            declining_list.push(decision);
        } else if let Some(decision) = mentor::evaluate(school, year, rule) {
            mentors.push(decision);
        }
    }
    let social = social_risk::evaluate(schools, rule);

    Identification {
        year,
        rule_version: rule.version.clone(),
        low_results: low,
        declining: declining_list,
        social_risk: social.listed,
        social_insufficient_data: social.insufficient,
        mentors,
        ignored_cells: ignored,
        unknown_schools: aggregated.unknown_schools,
    }
}

/// The years [`identify`] looks at for `year`: Y-1 and Y, or the last
/// `mentor.years` years when that is longer. Cells of other years, and of
/// subjects that are not rule subjects, change none of its lists (they only
/// count towards `unknown_schools`).
pub fn analysed_years(year: i32, rule: &RuleConfig) -> RangeInclusive<i32> {
    let span = i32::try_from(rule.mentor.years).unwrap_or(i32::MAX).max(2);
    year.saturating_sub(span - 1)..=year
}

/// Compares two years' lists of school ids: who entered, stayed and left.
/// Each list in the result is sorted and has no repeats.
pub fn transitions(previous: &[String], current: &[String]) -> Transitions {
    let before: BTreeSet<&String> = previous.iter().collect();
    let after: BTreeSet<&String> = current.iter().collect();
    Transitions {
        entered: after.difference(&before).map(|s| (*s).clone()).collect(),
        stayed: after.intersection(&before).map(|s| (*s).clone()).collect(),
        left: before.difference(&after).map(|s| (*s).clone()).collect(),
    }
}

/// School ids of a list of decisions, in order.
pub fn school_ids(decisions: &[Decision]) -> Vec<String> {
    decisions.iter().map(|d| d.school_id.clone()).collect()
}
