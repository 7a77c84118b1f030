//! Aggregation of input cells into rule cells: (school, year, unit, subject).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::RangeInclusive;

use super::config::{RuleConfig, UnitKind};
use super::model::{Cell, CellSummary, Procedure};

/// Unit of analysis: a procedure, optionally in one grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct UnitKey {
    pub procedure: Procedure,
    /// `None` when grades are pooled.
    pub grade: Option<u8>,
}

/// Key of a rule cell within one school and year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CellKey {
    pub unit: UnitKey,
    pub subject: String,
}

/// Pooled counts of a rule cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    pub participants: u64,
    pub failed: u64,
}

/// Rule cells of one year of one school, ordered by unit then subject.
pub(crate) type YearCells = BTreeMap<CellKey, Counts>;

/// All rule cells of one known school within the analysed years.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SchoolResults {
    pub school_id: String,
    pub years: BTreeMap<i32, YearCells>,
}

impl SchoolResults {
    /// Cells of `year` (empty when the school has none).
    pub fn year(&self, year: i32) -> impl Iterator<Item = (&CellKey, &Counts)> {
        self.years.get(&year).into_iter().flatten()
    }

    /// Counts of one cell in `year`.
    pub fn get(&self, year: i32, key: &CellKey) -> Option<Counts> {
        self.years
            .get(&year)
            .and_then(|cells| cells.get(key))
            .copied()
    }

    /// Summary of one cell for reports.
    pub fn summary(&self, year: i32, key: &CellKey, counts: Counts) -> CellSummary {
        summarize(&self.school_id, year, key, counts)
    }
}

/// Result of aggregation.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Aggregated {
    /// Known schools that have at least one rule cell, sorted by id.
    pub schools: Vec<SchoolResults>,
    /// Ids found in cells but not in the school list, sorted, without repeats.
    pub unknown_schools: Vec<String>,
}

/// (school id, year, unit, subject) of a rule cell while pooling.
type PoolKey<'a> = (&'a str, i32, UnitKey, &'a str);

/// Pools input cells into rule cells for the rule subjects and the given
/// years. Cells of unknown schools are only reported. O(n log n), and O(n)
/// for cells that come sorted by school, year, procedure and subject (as a
/// reader's do): pooling is a stable sort, which finds sorted runs, and a merge
/// of neighbours.
pub(crate) fn aggregate(
    cells: &[Cell],
    known: &HashSet<&str>,
    rule: &RuleConfig,
    years: RangeInclusive<i32>,
) -> Aggregated {
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    let mut keyed: Vec<(PoolKey<'_>, Counts)> = Vec::new();
    // Cells of one school come together: look its id up once per run.
    let mut last: Option<(&str, bool)> = None;
    for cell in cells {
        let school = cell.school_id.as_str();
        let is_known = match last {
            Some((id, is_known)) if id == school => is_known,
            _ => {
                let is_known = known.contains(school);
                last = Some((school, is_known));
                is_known
            }
        };
        if !is_known {
            unknown.insert(school);
            continue;
        }
        if !years.contains(&cell.year) || !rule.is_rule_subject(&cell.subject) {
            continue;
        }
        let unit = UnitKey {
            procedure: cell.procedure,
            grade: match rule.low_results.unit {
                UnitKind::Procedure => None,
                UnitKind::ProcedureGrade => Some(cell.grade),
            },
        };
        keyed.push((
            (school, cell.year, unit, cell.subject.as_str()),
            Counts {
                participants: u64::from(cell.participants),
                failed: u64::from(cell.failed),
            },
        ));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut entries: Vec<(PoolKey<'_>, Counts)> = Vec::with_capacity(keyed.len());
    for (key, counts) in keyed {
        match entries.last_mut() {
            Some((last, pooled)) if *last == key => {
                pooled.participants += counts.participants;
                pooled.failed += counts.failed;
            }
            _ => entries.push((key, counts)),
        }
    }
    let mut schools: Vec<SchoolResults> = Vec::new();
    for ((school_id, year, unit, subject), counts) in entries {
        if schools.last().is_none_or(|s| s.school_id != school_id) {
            schools.push(SchoolResults {
                school_id: school_id.to_string(),
                years: BTreeMap::new(),
            });
        }
        if let Some(school) = schools.last_mut() {
            school.years.entry(year).or_default().insert(
                CellKey {
                    unit,
                    subject: subject.to_string(),
                },
                counts,
            );
        }
    }
    Aggregated {
        schools,
        unknown_schools: unknown.into_iter().map(str::to_string).collect(),
    }
}

/// Builds the report form of a rule cell.
pub(crate) fn summarize(school_id: &str, year: i32, key: &CellKey, counts: Counts) -> CellSummary {
    let share = if counts.participants == 0 {
        0.0
    } else {
        counts.failed as f64 / counts.participants as f64
    };
    CellSummary {
        school_id: school_id.to_string(),
        year,
        procedure: key.unit.procedure,
        grade: key.unit.grade,
        subject: key.subject.clone(),
        participants: u32::try_from(counts.participants).unwrap_or(u32::MAX),
        failed: u32::try_from(counts.failed).unwrap_or(u32::MAX),
        share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(
        school: &str,
        year: i32,
        procedure: Procedure,
        subject: &str,
        grade: u8,
        n: u32,
        f: u32,
    ) -> Cell {
        Cell {
            school_id: school.to_string(),
            year,
            procedure,
            subject: subject.to_string(),
            grade,
            participants: n,
            failed: f,
        }
    }

    #[test]
    fn pools_grades_per_procedure() {
        let rule = RuleConfig::default();
        let known = HashSet::from(["a"]);
        let cells = [
            cell("a", 2024, Procedure::Vpr, "ru", 5, 10, 1),
            cell("a", 2024, Procedure::Vpr, "ru", 6, 20, 2),
            cell("a", 2024, Procedure::Vpr, "history", 6, 20, 20),
            cell("a", 2020, Procedure::Vpr, "ru", 6, 20, 20),
            cell("z", 2024, Procedure::Vpr, "ru", 6, 20, 20),
        ];
        let agg = aggregate(&cells, &known, &rule, 2023..=2024);
        assert_eq!(agg.unknown_schools, vec!["z".to_string()]);
        assert_eq!(agg.schools.len(), 1);
        let school = &agg.schools[0];
        assert_eq!(school.years.len(), 1);
        let cells: Vec<_> = school.year(2024).collect();
        assert_eq!(cells.len(), 1);
        assert_eq!(cells[0].0.unit.grade, None);
        assert_eq!(
            *cells[0].1,
            Counts {
                participants: 30,
                failed: 3
            }
        );
    }

    #[test]
    fn keeps_grades_apart_for_procedure_grade() {
        let mut rule = RuleConfig::default();
        rule.low_results.unit = UnitKind::ProcedureGrade;
        let known = HashSet::from(["a"]);
        let cells = [
            cell("a", 2024, Procedure::Vpr, "ru", 5, 10, 1),
            cell("a", 2024, Procedure::Vpr, "ru", 6, 20, 2),
        ];
        let agg = aggregate(&cells, &known, &rule, 2024..=2024);
        let grades: Vec<_> = agg.schools[0]
            .year(2024)
            .map(|(k, _)| k.unit.grade)
            .collect();
        assert_eq!(grades, vec![Some(5), Some(6)]);
    }
}
