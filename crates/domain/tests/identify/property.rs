//! Property test: the ШНОР list equals that of a naive reference.

use std::collections::BTreeSet;

use orientir_domain::identify::{
    Cell, Procedure, Reason, RuleConfig, SchoolContext, TwoYears, UnitKind, identify,
};
use proptest::prelude::*;

const SUBJECTS: [&str; 3] = ["ru", "math", "bio"];
const GRADES: [u8; 3] = [5, 6, 9];
const BASE_YEAR: i32 = 2022;

/// A unit as the reference sees it: procedure and, per grade, the grade.
type RefUnit = (Procedure, Option<u8>);

/// Deliberately naive: rescans all cells for every question.
fn reference(
    cells: &[Cell],
    schools: &[String],
    year: i32,
    rule: &RuleConfig,
) -> Vec<(String, Reason)> {
    let share_num = (rule.low_results.share * 10_000.0).round() as u128;
    let per_grade = rule.low_results.unit == UnitKind::ProcedureGrade;
    let min = u128::from(rule.low_results.min_participants);
    let unit_of =
        |c: &Cell| -> RefUnit { (c.procedure, if per_grade { Some(c.grade) } else { None }) };
    let in_rule = |c: &Cell| rule.low_results.subjects.contains(&c.subject);

    let unit_fails = |school: &str, y: i32, unit: RefUnit| -> bool {
        for subject in &rule.low_results.subjects {
            let mut participants: u128 = 0;
            let mut failed: u128 = 0;
            for c in cells {
                if c.school_id == school
                    && c.year == y
                    && unit_of(c) == unit
                    && &c.subject == subject
                {
                    participants += u128::from(c.participants);
                    failed += u128::from(c.failed);
                }
            }
            if participants >= min && failed * 10_000 >= share_num * participants {
                return true;
            }
        }
        false
    };
    let failing_units = |school: &str, y: i32| -> BTreeSet<RefUnit> {
        let mut units = BTreeSet::new();
        for c in cells {
            if c.school_id == school
                && c.year == y
                && in_rule(c)
                && unit_fails(school, y, unit_of(c))
            {
                units.insert(unit_of(c));
            }
        }
        units
    };

    let mut ids: Vec<&String> = schools.iter().collect();
    ids.sort();
    ids.dedup();
    let mut result = Vec::new();
    for school in ids {
        let now = failing_units(school, year);
        let before = failing_units(school, year - 1);
        if now.len() >= 2 {
            result.push((school.clone(), Reason::TwoProcedures));
            continue;
        }
        let two_years = match rule.low_results.two_years {
            TwoYears::Same => now.iter().any(|u| before.contains(u)),
            TwoYears::Any => !now.is_empty() && !before.is_empty(),
        };
        if two_years {
            result.push((school.clone(), Reason::TwoYears));
        }
    }
    result
}

#[derive(Debug, Clone)]
struct RawCell {
    school: usize,
    year: usize,
    procedure: usize,
    grade: usize,
    subject: usize,
    participants: u32,
    failed: u32,
}

fn raw_cell(schools: usize, years: usize, procedures: usize) -> impl Strategy<Value = RawCell> {
    (
        0..schools,
        0..years,
        0..procedures,
        0..GRADES.len(),
        0..SUBJECTS.len(),
        0u32..=12,
        0u32..=12,
    )
        .prop_map(
            |(school, year, procedure, grade, subject, participants, failed)| RawCell {
                school,
                year,
                procedure,
                grade,
                subject,
                participants,
                failed: failed.min(participants),
            },
        )
}

#[derive(Debug, Clone)]
struct Case {
    cells: Vec<Cell>,
    schools: Vec<String>,
    year: i32,
    rule: RuleConfig,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=8, 2usize..=3, 2usize..=3)
        .prop_flat_map(|(schools, years, procedures)| {
            (
                prop::collection::vec(raw_cell(schools, years, procedures), 0..40),
                prop::collection::vec(any::<bool>(), schools),
                Just(years),
                2u32..=18,
                1u32..=8,
                any::<bool>(),
                any::<bool>(),
                prop::sample::subsequence(SUBJECTS.to_vec(), 1..=3),
            )
        })
        .prop_map(
            |(raw, known, years, share_steps, min, per_grade, any_unit, subjects)| {
                let cells = raw
                    .into_iter()
                    .map(|r| Cell {
                        school_id: format!("s{}", r.school),
                        year: BASE_YEAR + r.year as i32,
                        procedure: Procedure::ALL[r.procedure],
                        subject: SUBJECTS[r.subject].to_string(),
                        grade: GRADES[r.grade],
                        participants: r.participants,
                        failed: r.failed,
                    })
                    .collect();
                let schools = known
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| **k)
                    .map(|(i, _)| format!("s{i}"))
                    .collect();
                let mut rule = RuleConfig::default();
                // Steps of 0.05 computed in floating point (0.15000000000000002, ...).
                rule.low_results.share = f64::from(share_steps) * 0.05;
                rule.low_results.min_participants = min;
                rule.low_results.unit = if per_grade {
                    UnitKind::ProcedureGrade
                } else {
                    UnitKind::Procedure
                };
                rule.low_results.two_years = if any_unit {
                    TwoYears::Any
                } else {
                    TwoYears::Same
                };
                rule.low_results.subjects = subjects.into_iter().map(str::to_string).collect();
                Case {
                    cells,
                    schools,
                    year: BASE_YEAR + years as i32 - 1,
                    rule,
                }
            },
        )
}

fn contexts(ids: &[String]) -> Vec<SchoolContext> {
    ids.iter()
        .map(|id| SchoolContext {
            school_id: id.clone(),
            social: [Some(0.1); 6],
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn low_results_match_reference(case in case()) {
        let out = identify(&case.cells, &contexts(&case.schools), case.year, &case.rule);
        let got: Vec<(String, Reason)> = out
            .low_results
            .iter()
            .map(|d| (d.school_id.clone(), d.reason))
            .collect();
        prop_assert_eq!(got, reference(&case.cells, &case.schools, case.year, &case.rule));
    }

    #[test]
    fn lists_are_sorted_and_disjoint(case in case()) {
        let out = identify(&case.cells, &contexts(&case.schools), case.year, &case.rule);
        let mut seen = BTreeSet::new();
        for list in [&out.low_results, &out.declining, &out.mentors] {
            let ids: Vec<&str> = list.iter().map(|d| d.school_id.as_str()).collect();
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(&ids, &sorted);
            for id in ids {
                prop_assert!(seen.insert(id.to_string()), "{} on two lists", id);
                prop_assert!(case.schools.iter().any(|s| s == id));
            }
        }
        for cell in &out.ignored_cells {
            prop_assert!(u64::from(cell.participants) < u64::from(case.rule.low_results.min_participants));
        }
        for id in &out.unknown_schools {
            prop_assert!(!case.schools.contains(id));
        }
    }
}
