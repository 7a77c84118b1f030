//! ШНСУ: composite social-risk index.

use orientir_domain::identify::{RuleConfig, SchoolContext, identify};

use crate::common::*;

fn ctx(id: &str, social: [Option<f64>; 6]) -> SchoolContext {
    SchoolContext {
        school_id: id.to_string(),
        social,
    }
}

fn uniform(id: &str, share: f64) -> SchoolContext {
    // Four "risk" factors at `share`, parents_higher_ed at 0, on_register at 0.
    ctx(
        id,
        [
            Some(share),
            Some(share),
            Some(share),
            Some(share),
            Some(0.0),
            Some(0.0),
        ],
    )
}

#[test]
fn index_is_weighted_sum() {
    let schools = [ctx(
        "a",
        [
            Some(0.2),
            Some(0.1),
            Some(0.05),
            Some(0.03),
            Some(0.1),
            Some(0.02),
        ],
    )];
    let out = identify(&[], &schools, Y, &RuleConfig::default());
    let decision = &out.social_risk[0];
    assert!((decision.index - 0.3).abs() < 1e-12);
    assert_eq!((decision.rank, decision.ranked_schools), (1, 1));
}

#[test]
fn ties_at_the_boundary_are_all_included() {
    let mut schools: Vec<_> = (0..10)
        .map(|i| uniform(&format!("s{i}"), 0.01 * f64::from(i)))
        .collect();
    schools.push(uniform("t1", 0.09));
    schools.push(uniform("t0", 0.09));
    // 12 schools, ceil(1.2) = 2 places: s9, t0 and t1 share the top index.
    let out = identify(&[], &schools, Y, &RuleConfig::default());
    let listed: Vec<_> = out
        .social_risk
        .iter()
        .map(|d| (d.school_id.as_str(), d.rank))
        .collect();
    assert_eq!(listed, vec![("s9", 1), ("t0", 1), ("t1", 1)]);
}

#[test]
fn missing_shares_mean_not_enough_data() {
    let mut schools: Vec<_> = (0..9)
        .map(|i| uniform(&format!("s{i}"), 0.01 * f64::from(i)))
        .collect();
    schools.push(ctx(
        "x",
        [Some(0.9), None, Some(0.9), Some(0.9), Some(0.0), Some(0.9)],
    ));
    let out = identify(&[], &schools, Y, &RuleConfig::default());
    assert_eq!(out.social_insufficient_data, vec!["x".to_string()]);
    let listed: Vec<_> = out
        .social_risk
        .iter()
        .map(|d| d.school_id.as_str())
        .collect();
    assert_eq!(listed, vec!["s8"]);
    assert_eq!(out.social_risk[0].ranked_schools, 9);

    // A factor with zero weight is not needed.
    let mut rule = RuleConfig::default();
    rule.social_risk.weights.single_parent = 0.0;
    let out = identify(&[], &schools, Y, &rule);
    assert!(out.social_insufficient_data.is_empty());
    let listed: Vec<_> = out
        .social_risk
        .iter()
        .map(|d| d.school_id.as_str())
        .collect();
    assert_eq!(listed, vec!["x"]);
}

#[test]
fn out_of_range_share_counts_as_missing() {
    let schools = [
        ctx(
            "a",
            [
                Some(1.5),
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(0.0),
            ],
        ),
        uniform("b", 0.1),
    ];
    let out = identify(&[], &schools, Y, &RuleConfig::default());
    assert_eq!(out.social_insufficient_data, vec!["a".to_string()]);
}

#[test]
fn social_risk_is_orthogonal_to_low_results() {
    let schools = [uniform("a", 0.5), uniform("b", 0.0)];
    let cells = [
        vpr("a", Y, 10, 5),
        oge("a", Y, 10, 5),
        vpr("b", Y, 10, 5),
        oge("b", Y, 10, 5),
    ];
    let out = identify(&cells, &schools, Y, &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["a", "b"]);
    let listed: Vec<_> = out
        .social_risk
        .iter()
        .map(|d| d.school_id.as_str())
        .collect();
    assert_eq!(listed, vec!["a"]);
}

#[test]
fn listed_sorted_by_id_with_ranks_by_index() {
    let schools: Vec<_> = ["d", "b", "a", "c"]
        .iter()
        .enumerate()
        .map(|(i, id)| uniform(id, 0.1 * i as f64))
        .collect();
    let mut rule = RuleConfig::default();
    rule.social_risk.top_share = 0.5;
    let out = identify(&[], &schools, Y, &rule);
    let listed: Vec<_> = out
        .social_risk
        .iter()
        .map(|d| (d.school_id.as_str(), d.rank))
        .collect();
    assert_eq!(listed, vec![("a", 2), ("c", 1)]);
    assert!(
        out.social_risk[1]
            .explanation
            .starts_with("ШНСУ: индекс социального риска 1,2 — место 1 из 4")
    );
}

#[test]
fn duplicate_school_contexts_count_once() {
    let schools = [uniform("a", 0.5), uniform("a", 0.5), uniform("b", 0.1)];
    let mut rule = RuleConfig::default();
    rule.social_risk.top_share = 1.0;
    let out = identify(&[], &schools, Y, &rule);
    assert_eq!(out.social_risk.len(), 2);
    assert_eq!(out.social_risk[0].ranked_schools, 2);
}
