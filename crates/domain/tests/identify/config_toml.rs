//! Rule configuration in TOML.

use orientir_domain::identify::{DEFAULT_RULE_TOML, RuleConfig, RuleError, TwoYears, UnitKind};

fn error_of(text: &str) -> RuleError {
    match RuleConfig::from_toml(text) {
        Ok(rule) => panic!("expected an error for {text:?}, got {rule:?}"),
        Err(error) => error,
    }
}

#[test]
fn shipped_default_parses_to_default() {
    assert_eq!(
        RuleConfig::from_toml(DEFAULT_RULE_TOML),
        Ok(RuleConfig::default())
    );
}

#[test]
fn shipped_default_documents_every_parameter_in_russian() {
    let lines: Vec<&str> = DEFAULT_RULE_TOML.lines().map(str::trim).collect();
    for key in [
        "version",
        "subjects",
        "share",
        "min_participants",
        "unit",
        "two_years",
        "rise_points",
        "also_single_unit",
        "top_share",
        "weights",
        "max_failed_share",
        "years",
        "min_units",
        "[ege_min_score]",
    ] {
        let position = lines
            .iter()
            .position(|l| l.starts_with(&format!("{key} =")) || *l == key)
            .unwrap_or_else(|| panic!("{key} is not in the default rule"));
        let comment = lines[position - 1];
        assert!(
            comment.starts_with('#') && comment.chars().any(|c| ('а'..='я').contains(&c)),
            "{key} is not preceded by a Russian comment: {comment:?}"
        );
    }
}

#[test]
fn empty_text_is_the_default() {
    assert_eq!(RuleConfig::from_toml(""), Ok(RuleConfig::default()));
}

#[test]
fn serialized_rule_round_trips() {
    let text = RuleConfig::default().to_toml().unwrap_or_default();
    assert_eq!(RuleConfig::from_toml(&text), Ok(RuleConfig::default()));

    let mut rule = RuleConfig {
        version: "2025.1".into(),
        ..RuleConfig::default()
    };
    rule.low_results.subjects = vec!["ru".into()];
    rule.low_results.share = 0.25;
    rule.low_results.min_participants = 3;
    rule.low_results.unit = UnitKind::ProcedureGrade;
    rule.low_results.two_years = TwoYears::Any;
    rule.ege_min_score.insert("physics".into(), 36.0);
    rule.declining.rise_points = 7.5;
    rule.declining.also_single_unit = false;
    rule.social_risk.top_share = 0.2;
    rule.social_risk.weights.disability = 0.5;
    rule.mentor.max_failed_share = 0.1;
    rule.mentor.years = 3;
    rule.mentor.min_units = 1;
    let text = rule.to_toml().unwrap_or_default();
    assert_eq!(RuleConfig::from_toml(&text), Ok(rule));
}

#[test]
fn missing_keys_take_defaults() {
    let rule = RuleConfig::from_toml(
        "version = \"x\"\n[low_results]\nshare = 0.25\nunit = \"procedure+grade\"\n\
         [ege_min_score]\nphysics = 36\n[social_risk.weights]\nlow_income = 2.0\n",
    );
    let mut expected = RuleConfig {
        version: "x".into(),
        ..RuleConfig::default()
    };
    expected.low_results.share = 0.25;
    expected.low_results.unit = UnitKind::ProcedureGrade;
    expected.ege_min_score.insert("physics".into(), 36.0);
    expected.social_risk.weights.low_income = 2.0;
    assert_eq!(rule, Ok(expected));
}

#[test]
fn unknown_keys_are_named() {
    for (text, key) in [
        ("colour = 1", "colour"),
        ("[low_results]\nsahre = 0.3", "low_results.sahre"),
        ("[declining]\nrise = 1", "declining.rise"),
        ("[social_risk]\ntop = 0.1", "social_risk.top"),
        (
            "[social_risk.weights]\nincome = 1",
            "social_risk.weights.income",
        ),
        ("[mentor]\nyear = 2", "mentor.year"),
        ("[shnor]\nshare = 0.3", "shnor"),
    ] {
        let error = error_of(text);
        assert_eq!(
            error,
            RuleError::UnknownKey {
                key: key.to_string()
            }
        );
        assert_eq!(error.to_string(), format!("неизвестный параметр {key}"));
    }
}

#[test]
fn invalid_values_have_russian_messages() {
    for (text, message) in [
        (
            "[low_results]\nshare = 1.5",
            "параметр low_results.share = 1.5: ожидается число от 0 до 1",
        ),
        (
            "[low_results]\nshare = -0.1",
            "параметр low_results.share = -0.1: ожидается число от 0 до 1",
        ),
        (
            "[low_results]\nshare = \"30%\"",
            "параметр low_results.share = \"30%\": ожидается число от 0 до 1",
        ),
        (
            "[low_results]\nmin_participants = 0",
            "параметр low_results.min_participants = 0: ожидается целое число не меньше 1",
        ),
        (
            "[low_results]\nmin_participants = 5.5",
            "параметр low_results.min_participants = 5.5: ожидается целое число не меньше 1",
        ),
        (
            "[low_results]\nunit = \"school\"",
            "параметр low_results.unit = \"school\": ожидается \"procedure\" или \"procedure+grade\"",
        ),
        (
            "[low_results]\ntwo_years = \"both\"",
            "параметр low_results.two_years = \"both\": ожидается \"same\" или \"any\"",
        ),
        (
            "[low_results]\nsubjects = []",
            "параметр low_results.subjects = []: ожидается непустой список кодов предметов (строк)",
        ),
        (
            "[low_results]\nsubjects = [\"ru\", 1]",
            "параметр low_results.subjects = [\"ru\", 1]: ожидается непустой список кодов предметов (строк)",
        ),
        (
            "[ege_min_score]\nru = -1",
            "параметр ege_min_score.ru = -1: ожидается число не меньше 0",
        ),
        (
            "[declining]\nrise_points = 150",
            "параметр declining.rise_points = 150: ожидается число от 0 до 100",
        ),
        (
            "[declining]\nalso_single_unit = \"yes\"",
            "параметр declining.also_single_unit = \"yes\": ожидается true или false",
        ),
        (
            "[social_risk]\ntop_share = 2",
            "параметр social_risk.top_share = 2: ожидается число от 0 до 1",
        ),
        (
            "[social_risk]\nweights = { low_income = \"a\" }",
            "параметр social_risk.weights.low_income = \"a\": ожидается число",
        ),
        (
            "[social_risk.weights]\nlow_income = nan",
            "параметр social_risk.weights.low_income = nan: ожидается число",
        ),
        (
            "[mentor]\nmax_failed_share = 1.01",
            "параметр mentor.max_failed_share = 1.01: ожидается число от 0 до 1",
        ),
        (
            "[mentor]\nyears = 0",
            "параметр mentor.years = 0: ожидается целое число от 1 до 100",
        ),
        (
            "[mentor]\nmin_units = 0",
            "параметр mentor.min_units = 0: ожидается целое число не меньше 1",
        ),
        (
            "version = \"  \"",
            "параметр version = \"  \": ожидается непустая строка",
        ),
        (
            "version = 2024",
            "параметр version = 2024: ожидается строка",
        ),
        (
            "low_results = 1",
            "параметр low_results = 1: ожидается таблица параметров",
        ),
    ] {
        assert_eq!(error_of(text).to_string(), message, "for {text:?}");
    }
}

#[test]
fn syntax_errors_are_reported() {
    let error = error_of("[low_results\nshare = 0.3");
    assert!(matches!(error, RuleError::Syntax(_)));
    assert!(
        error
            .to_string()
            .starts_with("правило не является корректным TOML: ")
    );
}

#[test]
fn parsed_parameters_reach_the_engine() {
    use crate::common::*;
    let rule = RuleConfig::from_toml("[low_results]\nshare = 0.4").unwrap_or_default();
    let cells = [vpr("a", Y, 10, 3), oge("a", Y, 10, 3)];
    assert!(run(&cells, &["a"], &rule).low_results.is_empty());
    let rule = RuleConfig::from_toml("[low_results]\nshare = 0.3").unwrap_or_default();
    assert_eq!(ids(&run(&cells, &["a"], &rule).low_results), vec!["a"]);
}
