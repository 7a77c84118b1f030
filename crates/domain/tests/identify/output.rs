//! Serialized form, transitions and the whole pipeline.

use orientir_domain::identify::{RuleConfig, school_ids, transitions};

use crate::common::*;

#[test]
fn serializes_snake_case_reasons_and_procedure_codes() {
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 3), vpr("b", Y, 3, 0)];
    let out = run(&cells, &["a", "b"], &RuleConfig::default());
    let json = serde_json::to_value(&out).unwrap_or_default();
    assert_eq!(json["rule_version"], "2024.1");
    assert_eq!(json["low_results"][0]["reason"], "two_procedures");
    assert_eq!(json["low_results"][0]["cells"][0]["procedure"], "VPR");
    assert_eq!(json["low_results"][0]["cells"][1]["procedure"], "OGE");
    assert_eq!(
        json["low_results"][0]["cells"][0]["grade"],
        serde_json::Value::Null
    );
    assert_eq!(json["ignored_cells"][0]["school_id"], "b");
    let rule = serde_json::to_value(RuleConfig::default()).unwrap_or_default();
    assert_eq!(rule["low_results"]["unit"], "procedure");
    assert_eq!(rule["low_results"]["two_years"], "same");
}

#[test]
fn transitions_between_years() {
    let previous: Vec<String> = ["c", "a", "b"].iter().map(|s| s.to_string()).collect();
    let current: Vec<String> = ["d", "b", "e", "b"].iter().map(|s| s.to_string()).collect();
    let t = transitions(&previous, &current);
    assert_eq!(t.entered, vec!["d", "e"]);
    assert_eq!(t.stayed, vec!["b"]);
    assert_eq!(t.left, vec!["a", "c"]);
}

#[test]
fn transitions_from_two_identifications() {
    let cells = [
        vpr("a", Y - 2, 10, 3),
        oge("a", Y - 2, 10, 3),
        vpr("a", Y - 1, 10, 3),
        oge("a", Y - 1, 10, 3),
        vpr("b", Y - 1, 10, 3),
        oge("b", Y - 1, 10, 3),
        vpr("b", Y, 10, 3),
        oge("c", Y, 10, 3),
        ege("c", Y, 10, 3),
    ];
    let schools = schools(&["a", "b", "c"]);
    let rule = RuleConfig::default();
    let last = orientir_domain::identify::identify(&cells, &schools, Y - 1, &rule);
    let this = orientir_domain::identify::identify(&cells, &schools, Y, &rule);
    assert_eq!(school_ids(&last.low_results), vec!["a", "b"]);
    assert_eq!(school_ids(&this.low_results), vec!["b", "c"]);
    let t = transitions(
        &school_ids(&last.low_results),
        &school_ids(&this.low_results),
    );
    assert_eq!(
        (t.entered, t.stayed, t.left),
        (
            vec!["c".to_string()],
            vec!["b".to_string()],
            vec!["a".to_string()]
        )
    );
}

#[test]
fn lists_are_disjoint() {
    let cells = [
        vpr("low", Y, 10, 3),
        oge("low", Y, 10, 3),
        vpr("risk", Y, 10, 3),
        vpr("good", Y - 1, 20, 0),
        oge("good", Y - 1, 20, 0),
        vpr("good", Y, 20, 0),
        oge("good", Y, 20, 0),
    ];
    let out = run(&cells, &["good", "low", "risk"], &RuleConfig::default());
    assert_eq!(ids(&out.low_results), vec!["low"]);
    assert_eq!(ids(&out.declining), vec!["risk"]);
    assert_eq!(ids(&out.mentors), vec!["good"]);
}
