//! Зона риска снижения результатов.

use orientir_domain::identify::{Procedure, Reason, RuleConfig};

use crate::common::*;

#[test]
fn share_rose_lists_both_years() {
    let cells = [oge("a", Y - 1, 10, 0), oge("a", Y, 10, 2)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    let decision = &out.declining[0];
    assert_eq!(decision.reason, Reason::ShareRose);
    assert_eq!(decision.cells.len(), 2);
    assert_eq!(
        decision.explanation,
        "Зона риска: доля не преодолевших порог выросла не менее чем на 10 п. п. — \
         ОГЭ (математика): с 0 % (0 из 10) в 2023 г. до 20 % (2 из 10) в 2024 г."
    );
}

#[test]
fn rise_is_exact() {
    // 20 % -> 30 %: (0.3 - 0.2) * 100 < 10 in floating point.
    let cells = [
        cell("a", Y - 1, Procedure::Vpr, "math", 4, 10, 2),
        cell("a", Y, Procedure::Vpr, "math", 4, 10, 3),
    ];
    let mut rule = RuleConfig::default();
    rule.declining.also_single_unit = false;
    assert_eq!(ids(&run(&cells, &["a"], &rule).declining), vec!["a"]);
}

#[test]
fn rise_needs_enough_participants_in_both_years() {
    let mut rule = RuleConfig::default();
    rule.declining.also_single_unit = false;
    let small_before = [vpr("a", Y - 1, 4, 0), vpr("a", Y, 10, 2)];
    assert!(run(&small_before, &["a"], &rule).declining.is_empty());
    let small_after = [vpr("a", Y - 1, 10, 0), vpr("a", Y, 4, 2)];
    assert!(run(&small_after, &["a"], &rule).declining.is_empty());
}

#[test]
fn rise_compares_the_same_unit_and_subject() {
    let cells = [vpr("a", Y - 1, 10, 0), oge("a", Y, 10, 2)];
    assert!(
        run(&cells, &["a"], &RuleConfig::default())
            .declining
            .is_empty()
    );
}

#[test]
fn low_results_school_is_not_declining() {
    let cells = [
        vpr("a", Y - 1, 10, 0),
        vpr("a", Y, 10, 3),
        oge("a", Y, 10, 3),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert!(out.declining.is_empty());
}

#[test]
fn share_rose_takes_precedence_over_single_unit() {
    let cells = [vpr("a", Y - 1, 10, 0), vpr("a", Y, 10, 3)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(with_reasons(&out.declining), vec![("a", Reason::ShareRose)]);
}

#[test]
fn single_unit_explanation() {
    let cells = [vpr("a", Y, 10, 4)];
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(
        out.declining[0].explanation,
        "Зона риска: в 2024 г. низкие результаты в одной оценочной процедуре — \
         ВПР (русский язык) 2024: не преодолели порог 4 из 10 (40 %) ≥ 30 %"
    );
}
