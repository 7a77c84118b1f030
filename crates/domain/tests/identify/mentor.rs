//! Mentor candidates.

use orientir_domain::identify::{Reason, RuleConfig};

use crate::common::*;

#[test]
fn consistent_high_results_make_a_candidate() {
    let cells = [
        vpr("a", Y - 1, 25, 0),
        oge("a", Y - 1, 20, 1),
        vpr("a", Y, 25, 1),
        oge("a", Y, 20, 0),
    ];
    let out = run(&cells, &["a"], &RuleConfig::default());
    let decision = &out.mentors[0];
    assert_eq!(decision.reason, Reason::HighResults);
    assert_eq!(decision.cells.len(), 4);
    assert!(
        decision
            .explanation
            .starts_with("Кандидат в наставники: в 2023–2024 гг.")
    );
    assert!(
        decision
            .explanation
            .contains("ВПР (русский язык) 2024: не преодолели порог 1 из 25 (4 %) ≤ 5 %")
    );
}

#[test]
fn small_cells_do_not_count_as_units_nor_spoil() {
    let mut cells = vec![
        vpr("a", Y - 1, 25, 0),
        oge("a", Y - 1, 20, 0),
        vpr("a", Y, 25, 0),
        oge("a", Y, 20, 0),
    ];
    cells.push(ege("a", Y, 4, 4));
    let out = run(&cells, &["a"], &RuleConfig::default());
    assert_eq!(ids(&out.mentors), vec!["a"]);
    let thin = [
        vpr("b", Y - 1, 25, 0),
        oge("b", Y - 1, 4, 0),
        vpr("b", Y, 25, 0),
        oge("b", Y, 20, 0),
    ];
    assert!(
        run(&thin, &["b"], &RuleConfig::default())
            .mentors
            .is_empty()
    );
}

#[test]
fn declining_school_is_not_a_mentor() {
    // Share rose by 10 points yet stays low enough for a mentor ceiling of 20 %.
    let cells = [
        vpr("a", Y - 1, 10, 0),
        oge("a", Y - 1, 10, 0),
        vpr("a", Y, 10, 1),
        oge("a", Y, 10, 0),
    ];
    let mut rule = RuleConfig::default();
    rule.mentor.max_failed_share = 0.2;
    let out = run(&cells, &["a"], &rule);
    assert_eq!(ids(&out.declining), vec!["a"]);
    assert!(out.mentors.is_empty());
    rule.declining.rise_points = 50.0;
    assert_eq!(ids(&run(&cells, &["a"], &rule).mentors), vec!["a"]);
}

#[test]
fn low_results_school_is_not_a_mentor() {
    let cells = [
        vpr("a", Y - 1, 10, 3),
        oge("a", Y - 1, 10, 3),
        vpr("a", Y, 10, 3),
        oge("a", Y, 10, 3),
    ];
    let mut rule = RuleConfig::default();
    rule.mentor.max_failed_share = 1.0;
    let out = run(&cells, &["a"], &rule);
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert!(out.mentors.is_empty());
}
