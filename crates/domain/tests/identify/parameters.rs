//! Every rule parameter changes the output when changed.

use orientir_domain::identify::{
    Procedure, Reason, RuleConfig, SchoolContext, TwoYears, UnitKind, cell_from_pupils, fails,
    identify,
};

use crate::common::*;

#[test]
fn subjects_parameter() {
    let cells = [
        cell("a", Y, Procedure::Vpr, "physics", 8, 10, 5),
        cell("a", Y, Procedure::Oge, "physics", 9, 10, 5),
        cell("b", Y, Procedure::Vpr, "ru", 5, 10, 5),
        cell("b", Y, Procedure::Oge, "math", 9, 10, 5),
    ];
    let default = run(&cells, &["a", "b"], &RuleConfig::default());
    assert_eq!(ids(&default.low_results), vec!["b"]);

    let mut rule = RuleConfig::default();
    rule.low_results.subjects = vec!["ru".into(), "math".into(), "physics".into()];
    assert_eq!(
        ids(&run(&cells, &["a", "b"], &rule).low_results),
        vec!["a", "b"]
    );

    rule.low_results.subjects = vec!["ru".into()];
    assert!(run(&cells, &["a", "b"], &rule).low_results.is_empty());
}

#[test]
fn share_parameter() {
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 3)];
    let mut rule = RuleConfig::default();
    assert_eq!(ids(&run(&cells, &["a"], &rule).low_results), vec!["a"]);
    rule.low_results.share = 0.31;
    assert!(run(&cells, &["a"], &rule).low_results.is_empty());
    rule.low_results.share = 0.2;
    let cells = [vpr("a", Y, 10, 2), oge("a", Y, 10, 2)];
    assert_eq!(ids(&run(&cells, &["a"], &rule).low_results), vec!["a"]);
}

#[test]
fn min_participants_parameter() {
    let cells = [vpr("a", Y, 4, 2), oge("a", Y, 4, 2)];
    let mut rule = RuleConfig::default();
    let out = run(&cells, &["a"], &rule);
    assert!(out.low_results.is_empty());
    assert_eq!(out.ignored_cells.len(), 2);
    rule.low_results.min_participants = 4;
    let out = run(&cells, &["a"], &rule);
    assert_eq!(ids(&out.low_results), vec!["a"]);
    assert!(out.ignored_cells.is_empty());
}

#[test]
fn unit_parameter() {
    let cells = [
        cell("a", Y, Procedure::Vpr, "ru", 5, 10, 3),
        cell("a", Y, Procedure::Vpr, "math", 6, 10, 3),
    ];
    let mut rule = RuleConfig::default();
    assert!(run(&cells, &["a"], &rule).low_results.is_empty());
    rule.low_results.unit = UnitKind::ProcedureGrade;
    assert_eq!(ids(&run(&cells, &["a"], &rule).low_results), vec!["a"]);
}

#[test]
fn two_years_parameter() {
    let cells = [vpr("a", Y - 1, 10, 3), ege("a", Y, 10, 3)];
    let mut rule = RuleConfig::default();
    assert!(run(&cells, &["a"], &rule).low_results.is_empty());
    rule.low_results.two_years = TwoYears::Any;
    assert_eq!(
        with_reasons(&run(&cells, &["a"], &rule).low_results),
        vec![("a", Reason::TwoYears)]
    );
}

#[test]
fn ege_min_score_parameter() {
    let mut rule = RuleConfig::default();
    assert!(fails(Procedure::Ege, "ru", None, Some(23.0), &rule));
    assert!(!fails(Procedure::Ege, "ru", None, Some(24.0), &rule));
    assert!(fails(Procedure::Ege, "math", None, Some(26.5), &rule));
    assert!(!fails(Procedure::Ege, "math", None, Some(27.0), &rule));
    // Subjects without a minimum score and missing scores do not fail.
    assert!(!fails(Procedure::Ege, "physics", None, Some(0.0), &rule));
    assert!(!fails(Procedure::Ege, "ru", None, None, &rule));
    // ВПР/ОГЭ: mark 2 fails, whatever the score.
    assert!(fails(Procedure::Vpr, "ru", Some(2), None, &rule));
    assert!(!fails(Procedure::Oge, "ru", Some(3), Some(0.0), &rule));
    assert!(!fails(Procedure::Oge, "ru", None, None, &rule));

    rule.ege_min_score.insert("ru".into(), 20.0);
    assert!(!fails(Procedure::Ege, "ru", None, Some(23.0), &rule));
    rule.ege_min_score.insert("physics".into(), 36.0);
    assert!(fails(Procedure::Ege, "physics", None, Some(35.0), &rule));

    // Through aggregation to a decision.
    let pupils: Vec<(Option<u8>, Option<f64>)> =
        [22.0, 23.0, 23.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0]
            .into_iter()
            .map(|s| (None, Some(s)))
            .collect();
    let decide = |rule: &RuleConfig| {
        let cells = [
            cell_from_pupils("a", Y, Procedure::Ege, "ru", 11, &pupils, rule),
            oge("a", Y, 10, 3),
        ];
        run(&cells, &["a"], rule)
    };
    let default = RuleConfig::default();
    assert_eq!(ids(&decide(&default).low_results), vec!["a"]);
    let mut lower = RuleConfig::default();
    lower.ege_min_score.insert("ru".into(), 23.0);
    assert!(decide(&lower).low_results.is_empty());
}

#[test]
fn rise_points_parameter() {
    // 1 of 10 -> 2 of 10: exactly 10 points, below the ШНОР share.
    let cells = [vpr("a", Y - 1, 10, 1), vpr("a", Y, 10, 2)];
    let mut rule = RuleConfig::default();
    assert_eq!(
        with_reasons(&run(&cells, &["a"], &rule).declining),
        vec![("a", Reason::ShareRose)]
    );
    rule.declining.rise_points = 10.01;
    assert!(run(&cells, &["a"], &rule).declining.is_empty());
    rule.declining.rise_points = 5.0;
    let cells = [vpr("a", Y - 1, 20, 2), vpr("a", Y, 20, 3)];
    assert_eq!(ids(&run(&cells, &["a"], &rule).declining), vec!["a"]);
}

#[test]
fn also_single_unit_parameter() {
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 0)];
    let mut rule = RuleConfig::default();
    assert_eq!(
        with_reasons(&run(&cells, &["a"], &rule).declining),
        vec![("a", Reason::SingleUnit)]
    );
    rule.declining.also_single_unit = false;
    let out = run(&cells, &["a"], &rule);
    assert!(out.declining.is_empty());
    assert!(out.mentors.is_empty());
}

fn social_school(id: &str, low_income: f64, parents_higher_ed: f64) -> SchoolContext {
    SchoolContext {
        school_id: id.to_string(),
        social: [
            Some(low_income),
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(parents_higher_ed),
            Some(0.0),
        ],
    }
}

#[test]
fn top_share_parameter() {
    let schools: Vec<_> = (0..20)
        .map(|i| social_school(&format!("s{i:02}"), f64::from(i) / 20.0, 0.0))
        .collect();
    let mut rule = RuleConfig::default();
    let listed = |rule: &RuleConfig| -> Vec<String> {
        identify(&[], &schools, Y, rule)
            .social_risk
            .into_iter()
            .map(|d| d.school_id)
            .collect()
    };
    assert_eq!(listed(&rule), vec!["s18", "s19"]);
    rule.social_risk.top_share = 0.2;
    assert_eq!(listed(&rule), vec!["s16", "s17", "s18", "s19"]);
    rule.social_risk.top_share = 0.11;
    // ceil(20 · 0.11) = 3
    assert_eq!(listed(&rule), vec!["s17", "s18", "s19"]);
    rule.social_risk.top_share = 0.0;
    assert!(listed(&rule).is_empty());
}

#[test]
fn weights_parameter() {
    // a: poor families; b: few parents with higher education.
    let schools = vec![
        social_school("a", 0.5, 0.5),
        social_school("b", 0.3, 0.0),
        social_school("c", 0.0, 0.9),
    ];
    let mut rule = RuleConfig::default();
    rule.social_risk.top_share = 0.3;
    let top = |rule: &RuleConfig| {
        identify(&[], &schools, Y, rule).social_risk[0]
            .school_id
            .clone()
    };
    assert_eq!(top(&rule), "b");
    rule.social_risk.weights.parents_higher_ed = 0.0;
    assert_eq!(top(&rule), "a");
    rule.social_risk.weights.low_income = 0.0;
    rule.social_risk.weights.parents_higher_ed = 1.0;
    assert_eq!(top(&rule), "c");
}

fn good_two_years(id: &str, failed: u32) -> Vec<orientir_domain::identify::Cell> {
    vec![
        vpr(id, Y - 1, 20, failed),
        oge(id, Y - 1, 20, failed),
        vpr(id, Y, 20, failed),
        oge(id, Y, 20, failed),
    ]
}

#[test]
fn max_failed_share_parameter() {
    let cells = good_two_years("a", 1); // 5 % everywhere
    let mut rule = RuleConfig::default();
    assert_eq!(
        with_reasons(&run(&cells, &["a"], &rule).mentors),
        vec![("a", Reason::HighResults)]
    );
    rule.mentor.max_failed_share = 0.04;
    assert!(run(&cells, &["a"], &rule).mentors.is_empty());
}

#[test]
fn years_parameter() {
    let mut cells = good_two_years("a", 0);
    // 2022 was bad in one unit.
    cells.push(vpr("a", Y - 2, 20, 5));
    cells.push(oge("a", Y - 2, 20, 0));
    let mut rule = RuleConfig::default();
    assert_eq!(ids(&run(&cells, &["a"], &rule).mentors), vec!["a"]);
    rule.mentor.years = 3;
    assert!(run(&cells, &["a"], &rule).mentors.is_empty());
    rule.mentor.years = 1;
    let only_this_year = [vpr("b", Y, 20, 0), oge("b", Y, 20, 0)];
    assert_eq!(ids(&run(&only_this_year, &["b"], &rule).mentors), vec!["b"]);
    rule.mentor.years = 2;
    assert!(run(&only_this_year, &["b"], &rule).mentors.is_empty());
}

#[test]
fn min_units_parameter() {
    let cells = good_two_years("a", 0);
    let mut rule = RuleConfig::default();
    assert_eq!(ids(&run(&cells, &["a"], &rule).mentors), vec!["a"]);
    rule.mentor.min_units = 3;
    assert!(run(&cells, &["a"], &rule).mentors.is_empty());
    rule.mentor.min_units = 1;
    let one_unit = [vpr("b", Y - 1, 20, 0), vpr("b", Y, 20, 0)];
    assert_eq!(ids(&run(&one_unit, &["b"], &rule).mentors), vec!["b"]);
}

#[test]
fn version_parameter() {
    let mut rule = RuleConfig::default();
    assert_eq!(run(&[], &[], &rule).rule_version, "2024.1");
    rule.version = "2025.2-региональное".into();
    assert_eq!(run(&[], &[], &rule).rule_version, "2025.2-региональное");
}
