//! Clauses of the ШНОР rule.

use orientir_domain::identify::{Procedure, Reason, RuleConfig, TwoYears, UnitKind};

use crate::common::*;

#[test]
fn three_of_ten_fails_at_thirty_percent() {
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(
        with_reasons(&out.low_results),
        vec![("a", Reason::TwoProcedures)]
    );
}

#[test]
fn two_of_ten_does_not_fail() {
    let cells = [vpr("a", Y, 10, 2), oge("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert!(out.low_results.is_empty());
    // One failing unit only: the declining list instead.
    assert_eq!(
        with_reasons(&out.declining),
        vec![("a", Reason::SingleUnit)]
    );
}

#[test]
fn share_comparison_is_exact_not_floating() {
    let mut rule = RuleConfig::default();
    // 0.30000000000000004: a float comparison 3.0/10.0 >= share says no.
    rule.low_results.share = 0.1 + 0.2;
    assert!(3.0_f64 / 10.0 < rule.low_results.share);
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &rule);
    assert_eq!(ids(&out.low_results), vec!["a"]);

    // 0.7 with 7 of 10 and 0.57 with 57 of 100 (float products round badly).
    for (share, n, f) in [
        (0.7, 10, 7),
        (0.57, 100, 57),
        (0.29, 100, 29),
        (0.15, 20, 3),
    ] {
        let mut rule = RuleConfig::default();
        rule.low_results.share = share;
        let cells = [vpr("a", Y, n, f), oge("a", Y, n, f)];
        let out = run(&cells, &["a"], &rule);
        assert_eq!(
            ids(&out.low_results),
            vec!["a"],
            "share {share}: {f} of {n}"
        );
        let cells = [vpr("a", Y, n, f - 1), oge("a", Y, n, f - 1)];
        let out = run(&cells, &["a"], &rule);
        assert!(
            out.low_results.is_empty(),
            "share {share}: {} of {n}",
            f - 1
        );
    }
}

#[test]
fn small_cell_is_ignored_and_listed() {
    let cells = [vpr("a", Y, 4, 4), oge("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert!(out.low_results.is_empty());
    assert_eq!(out.ignored_cells.len(), 1);
    let ignored = &out.ignored_cells[0];
    assert_eq!(ignored.school_id, "a");
    assert_eq!(ignored.procedure, Procedure::Vpr);
    assert_eq!((ignored.participants, ignored.failed), (4, 4));
    assert_eq!(ignored.grade, None);
}

#[test]
fn two_procedures_in_one_year() {
    let cells = [vpr("a", Y, 10, 4), oge("a", Y, 8, 3), ege("a", Y, 10, 0)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    let decision = &out.low_results[0];
    assert_eq!(decision.reason, Reason::TwoProcedures);
    assert_eq!(decision.cells.len(), 2);
    assert_eq!(
        decision.explanation,
        "ШНОР: в 2024 г. низкие результаты в 2 оценочных процедурах — \
         ВПР (русский язык) 2024: не преодолели порог 4 из 10 (40 %) ≥ 30 %; \
         ОГЭ (математика) 2024: не преодолели порог 3 из 8 (37,5 %) ≥ 30 %"
    );
}

#[test]
fn same_procedure_in_two_years() {
    let cells = [
        vpr("a", Y - 1, 10, 3),
        vpr("a", Y, 10, 5),
        oge("a", Y, 10, 0),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    let decision = &out.low_results[0];
    assert_eq!(decision.reason, Reason::TwoYears);
    let years: Vec<i32> = decision.cells.iter().map(|c| c.year).collect();
    assert_eq!(years, vec![Y - 1, Y]);
    assert!(
        decision
            .explanation
            .contains("два года подряд (2023–2024 гг.)")
    );
}

#[test]
fn failure_only_last_year_is_not_enough() {
    let cells = [
        vpr("a", Y - 1, 10, 3),
        oge("a", Y - 1, 10, 3),
        vpr("a", Y, 10, 0),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert!(out.low_results.is_empty());
}

#[test]
fn year_before_last_is_not_counted() {
    let cells = [vpr("a", Y - 2, 10, 3), vpr("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert!(out.low_results.is_empty());
}

#[test]
fn two_procedures_wins_over_two_years() {
    let cells = [
        vpr("a", Y - 1, 10, 3),
        vpr("a", Y, 10, 3),
        oge("a", Y, 10, 3),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(
        with_reasons(&out.low_results),
        vec![("a", Reason::TwoProcedures)]
    );
}

#[test]
fn same_and_any_differ() {
    // ВПР fails in 2023, ОГЭ fails in 2024: different units.
    let cells = [vpr("a", Y - 1, 10, 3), oge("a", Y, 10, 3)];
    let mut rule = RuleConfig::default();
    rule.low_results.two_years = TwoYears::Same;
    let same = run(&cells, &["a"], &rule);
    assert!(same.low_results.is_empty());
    rule.low_results.two_years = TwoYears::Any;
    let any = run(&cells, &["a"], &rule);
    assert_eq!(
        with_reasons(&any.low_results),
        vec![("a", Reason::TwoYears)]
    );
    assert_eq!(any.low_results[0].cells.len(), 2);
}

#[test]
fn procedure_grade_and_procedure_differ() {
    // Two ВПР grades failing: one unit when pooled, two units per grade.
    let cells = [
        cell("a", Y, Procedure::Vpr, "ru", 5, 10, 3),
        cell("a", Y, Procedure::Vpr, "ru", 6, 10, 3),
        // Pooled 2 of 10 = 20 %, per grade 2 of 5 = 40 %.
        cell("b", Y, Procedure::Vpr, "ru", 5, 5, 2),
        cell("b", Y, Procedure::Vpr, "ru", 6, 5, 0),
        cell("b", Y, Procedure::Oge, "ru", 9, 10, 3),
    ];
    let mut rule = RuleConfig::default();
    rule.low_results.unit = UnitKind::Procedure;
    let pooled = run(&cells, &["a", "b"], &rule);
    assert!(pooled.low_results.is_empty());
    rule.low_results.unit = UnitKind::ProcedureGrade;
    let graded = run(&cells, &["a", "b"], &rule);
    assert_eq!(
        with_reasons(&graded.low_results),
        vec![("a", Reason::TwoProcedures), ("b", Reason::TwoProcedures)]
    );
    assert_eq!(graded.low_results[0].cells[0].grade, Some(5));
    assert!(
        graded.low_results[0]
            .explanation
            .contains("ВПР, 5 класс (русский язык) 2024")
    );
}

#[test]
fn grades_are_pooled_within_a_procedure() {
    // 1 of 5 and 2 of 5: neither grade fails, pooled 3 of 10 does.
    let cells = [
        cell("a", Y, Procedure::Vpr, "ru", 5, 5, 1),
        cell("a", Y, Procedure::Vpr, "ru", 6, 5, 2),
        oge("a", Y, 10, 3),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert_eq!(out.low_results[0].cells[0].participants, 10);
}

#[test]
fn small_grades_pool_into_a_large_enough_cell() {
    let cells = [
        cell("a", Y, Procedure::Vpr, "ru", 5, 3, 1),
        cell("a", Y, Procedure::Vpr, "ru", 6, 3, 1),
        oge("a", Y, 10, 3),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert!(out.ignored_cells.is_empty());
}

#[test]
fn non_rule_subjects_are_ignored() {
    let cells = [
        cell("a", Y, Procedure::Vpr, "history", 5, 10, 10),
        cell("a", Y, Procedure::Oge, "physics", 9, 10, 10),
        cell("a", Y, Procedure::Oge, "physics", 9, 2, 2),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert!(out.low_results.is_empty());
    assert!(out.declining.is_empty());
    assert!(out.ignored_cells.is_empty());
}

#[test]
fn unknown_schools_are_reported_not_counted() {
    let cells = [
        vpr("zz", Y, 10, 5),
        oge("zz", Y, 10, 5),
        vpr("aa", Y, 10, 5),
        vpr("a", Y, 10, 3),
        oge("a", Y, 10, 3),
        vpr("zz", Y - 1, 3, 3),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert_eq!(
        out.unknown_schools,
        vec!["aa".to_string(), "zz".to_string()]
    );
    assert!(out.ignored_cells.is_empty());
}

#[test]
fn any_subject_fails_its_unit() {
    // ВПР fails in maths only, ОГЭ in Russian only.
    let cells = [
        cell("a", Y, Procedure::Vpr, "ru", 5, 10, 0),
        cell("a", Y, Procedure::Vpr, "math", 5, 10, 3),
        cell("a", Y, Procedure::Oge, "ru", 9, 10, 3),
        cell("a", Y, Procedure::Oge, "math", 9, 10, 0),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(
        with_reasons(&out.low_results),
        vec![("a", Reason::TwoProcedures)]
    );
    let subjects: Vec<&str> = out.low_results[0]
        .cells
        .iter()
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(subjects, vec!["math", "ru"]);
}

#[test]
fn lists_are_sorted_by_school_id() {
    let mut cells = Vec::new();
    for id in ["c", "a", "b"] {
        cells.push(vpr(id, Y, 10, 3));
        cells.push(oge(id, Y, 10, 3));
    }
    let out = run(&cells, &["b", "c", "a"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a", "b", "c"]);
}

#[test]
fn empty_input_gives_empty_lists() {
    let out = run(&[], &[], &RuleConfig::default());
    assert_eq!(out.year, Y);
    assert!(out.low_results.is_empty());
    assert!(out.social_risk.is_empty());
    assert!(out.unknown_schools.is_empty());
}
