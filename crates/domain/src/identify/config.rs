//! Rule configuration: defaults, TOML parsing and validation.
//!
//! Parsing walks the TOML table by hand so that every problem is reported in
//! Russian with the full key name (`low_results.share`) and what was expected.

use std::collections::BTreeMap;

use serde::Serialize;
use toml::{Table, Value};

use super::model::{Cell, Procedure, SOCIAL_FACTORS};
use super::share::{Points, Share};

/// The shipped default rule, documented in Russian. Parses to
/// [`RuleConfig::default()`].
pub const DEFAULT_RULE_TOML: &str = include_str!("default_rule.toml");

/// Largest accepted `mentor.years`.
const MAX_MENTOR_YEARS: i64 = 100;

/// Errors in a rule configuration; messages are in Russian.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// The text is not valid TOML.
    #[error("правило не является корректным TOML: {0}")]
    Syntax(String),
    /// A key the rule does not know.
    #[error("неизвестный параметр {key}")]
    UnknownKey { key: String },
    /// A value of the wrong type or out of range.
    #[error("параметр {key} = {value}: ожидается {expected}")]
    InvalidValue {
        key: String,
        value: String,
        expected: String,
    },
}

/// Unit of analysis of the ШНОР rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnitKind {
    /// The procedure (VPR, OGE, EGE) with all grades pooled.
    #[serde(rename = "procedure")]
    Procedure,
    /// The procedure in one grade.
    #[serde(rename = "procedure+grade")]
    ProcedureGrade,
}

/// Clause (b) of the ШНОР rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoYears {
    /// The same unit fails in Y-1 and in Y.
    Same,
    /// Some unit fails in Y-1 and some unit fails in Y.
    Any,
}

/// Parameters of the ШНОР rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowResultsRule {
    pub subjects: Vec<String>,
    pub share: f64,
    pub min_participants: u32,
    pub unit: UnitKind,
    pub two_years: TwoYears,
}

/// Parameters of the declining-results list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecliningRule {
    pub rise_points: f64,
    pub also_single_unit: bool,
}

/// Weights of the social-risk index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SocialWeights {
    pub low_income: f64,
    pub single_parent: f64,
    pub non_native: f64,
    pub disability: f64,
    pub parents_higher_ed: f64,
    pub on_register: f64,
}

impl SocialWeights {
    /// Weights in the order of [`super::model::SchoolContext::social`].
    pub fn as_array(&self) -> [f64; SOCIAL_FACTORS] {
        [
            self.low_income,
            self.single_parent,
            self.non_native,
            self.disability,
            self.parents_higher_ed,
            self.on_register,
        ]
    }

    fn slot(&mut self, name: &str) -> Option<&mut f64> {
        match name {
            "low_income" => Some(&mut self.low_income),
            "single_parent" => Some(&mut self.single_parent),
            "non_native" => Some(&mut self.non_native),
            "disability" => Some(&mut self.disability),
            "parents_higher_ed" => Some(&mut self.parents_higher_ed),
            "on_register" => Some(&mut self.on_register),
            _ => None,
        }
    }
}

impl Default for SocialWeights {
    fn default() -> Self {
        SocialWeights {
            low_income: 1.0,
            single_parent: 1.0,
            non_native: 1.0,
            disability: 1.0,
            parents_higher_ed: -1.0,
            on_register: 1.0,
        }
    }
}

/// Parameters of the ШНСУ (social risk) list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SocialRiskRule {
    pub top_share: f64,
    pub weights: SocialWeights,
}

/// Parameters of the mentor-candidate list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentorRule {
    pub max_failed_share: f64,
    pub years: u32,
    pub min_units: u32,
}

/// The whole identification rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleConfig {
    pub version: String,
    pub low_results: LowResultsRule,
    /// Minimum ЕГЭ score per subject; a lower score fails.
    pub ege_min_score: BTreeMap<String, f64>,
    pub declining: DecliningRule,
    pub social_risk: SocialRiskRule,
    pub mentor: MentorRule,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            version: "2024.1".to_string(),
            low_results: LowResultsRule {
                subjects: vec!["ru".to_string(), "math".to_string()],
                share: 0.30,
                min_participants: 5,
                unit: UnitKind::Procedure,
                two_years: TwoYears::Same,
            },
            ege_min_score: BTreeMap::from([("ru".to_string(), 24.0), ("math".to_string(), 27.0)]),
            declining: DecliningRule {
                rise_points: 10.0,
                also_single_unit: true,
            },
            social_risk: SocialRiskRule {
                top_share: 0.10,
                weights: SocialWeights::default(),
            },
            mentor: MentorRule {
                max_failed_share: 0.05,
                years: 2,
                min_units: 2,
            },
        }
    }
}

impl RuleConfig {
    /// Parses a rule; missing keys take the defaults, unknown keys and
    /// invalid values are errors naming the key.
    pub fn from_toml(text: &str) -> Result<RuleConfig, RuleError> {
        let table: Table = text
            .parse()
            .map_err(|e: toml::de::Error| RuleError::Syntax(e.message().trim().to_string()))?;
        let mut rule = RuleConfig::default();
        let root = Section {
            prefix: String::new(),
            table: &table,
        };
        root.check_keys(&[
            "version",
            "low_results",
            "ege_min_score",
            "declining",
            "social_risk",
            "mentor",
        ])?;
        if let Some(version) = root.string("version")? {
            if version.trim().is_empty() {
                return Err(root.invalid("version", "непустая строка"));
            }
            rule.version = version;
        }
        if let Some(section) = root.section("low_results")? {
            parse_low_results(&section, &mut rule.low_results)?;
        }
        if let Some(section) = root.section("ege_min_score")? {
            for (subject, _) in section.table.iter() {
                if let Some(score) = section.number(subject)? {
                    if score < 0.0 {
                        return Err(section.invalid(subject, "число не меньше 0"));
                    }
                    rule.ege_min_score.insert(subject.clone(), score);
                }
            }
        }
        if let Some(section) = root.section("declining")? {
            section.check_keys(&["rise_points", "also_single_unit"])?;
            if let Some(points) = section.number("rise_points")? {
                if !(0.0..=100.0).contains(&points) {
                    return Err(section.invalid("rise_points", "число от 0 до 100"));
                }
                rule.declining.rise_points = points;
            }
            if let Some(flag) = section.boolean("also_single_unit")? {
                rule.declining.also_single_unit = flag;
            }
        }
        if let Some(section) = root.section("social_risk")? {
            section.check_keys(&["top_share", "weights"])?;
            if let Some(top) = section.share("top_share")? {
                rule.social_risk.top_share = top;
            }
            if let Some(weights) = section.section("weights")? {
                weights.check_keys(&[
                    "low_income",
                    "single_parent",
                    "non_native",
                    "disability",
                    "parents_higher_ed",
                    "on_register",
                ])?;
                for (name, _) in weights.table.iter() {
                    if let (Some(value), Some(slot)) =
                        (weights.number(name)?, rule.social_risk.weights.slot(name))
                    {
                        *slot = value;
                    }
                }
            }
        }
        if let Some(section) = root.section("mentor")? {
            section.check_keys(&["max_failed_share", "years", "min_units"])?;
            if let Some(share) = section.share("max_failed_share")? {
                rule.mentor.max_failed_share = share;
            }
            if let Some(years) = section.integer("years", 1, MAX_MENTOR_YEARS)? {
                rule.mentor.years = years;
            }
            if let Some(units) = section.integer("min_units", 1, i64::from(u32::MAX))? {
                rule.mentor.min_units = units;
            }
        }
        Ok(rule)
    }

    /// Writes the rule as TOML (without comments); [`RuleConfig::from_toml`]
    /// reads it back to an equal rule.
    pub fn to_toml(&self) -> Result<String, RuleError> {
        toml::to_string(self).map_err(|e| RuleError::Syntax(e.to_string()))
    }

    /// The ШНОР share threshold as an exact fraction.
    pub fn low_share(&self) -> Share {
        Share::from_f64(self.low_results.share)
    }

    /// The mentor share ceiling as an exact fraction.
    pub fn mentor_share(&self) -> Share {
        Share::from_f64(self.mentor.max_failed_share)
    }

    /// The ШНСУ top share as an exact fraction.
    pub fn top_share(&self) -> Share {
        Share::from_f64(self.social_risk.top_share)
    }

    /// The declining rise threshold as exact percentage points.
    pub fn rise_points(&self) -> Points {
        Points::from_f64(self.declining.rise_points)
    }

    /// Whether `subject` is one of the rule subjects.
    pub fn is_rule_subject(&self, subject: &str) -> bool {
        self.low_results.subjects.iter().any(|s| s == subject)
    }
}

fn parse_low_results(section: &Section<'_>, rule: &mut LowResultsRule) -> Result<(), RuleError> {
    section.check_keys(&["subjects", "share", "min_participants", "unit", "two_years"])?;
    if let Some(value) = section.table.get("subjects") {
        let expected = "непустой список кодов предметов (строк)";
        let items = value
            .as_array()
            .ok_or_else(|| section.invalid("subjects", expected))?;
        let mut subjects = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str() {
                Some(code) if !code.trim().is_empty() => {
                    if !subjects.iter().any(|s: &String| s == code) {
                        subjects.push(code.to_string());
                    }
                }
                _ => return Err(section.invalid("subjects", expected)),
            }
        }
        if subjects.is_empty() {
            return Err(section.invalid("subjects", expected));
        }
        rule.subjects = subjects;
    }
    if let Some(share) = section.share("share")? {
        rule.share = share;
    }
    if let Some(min) = section.integer("min_participants", 1, i64::from(u32::MAX))? {
        rule.min_participants = min;
    }
    if let Some(unit) = section.string("unit")? {
        rule.unit = match unit.as_str() {
            "procedure" => UnitKind::Procedure,
            "procedure+grade" => UnitKind::ProcedureGrade,
            _ => return Err(section.invalid("unit", "\"procedure\" или \"procedure+grade\"")),
        };
    }
    if let Some(mode) = section.string("two_years")? {
        rule.two_years = match mode.as_str() {
            "same" => TwoYears::Same,
            "any" => TwoYears::Any,
            _ => return Err(section.invalid("two_years", "\"same\" или \"any\"")),
        };
    }
    Ok(())
}

/// A TOML table with the dotted path that leads to it, for error messages.
struct Section<'a> {
    prefix: String,
    table: &'a Table,
}

impl<'a> Section<'a> {
    fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.prefix, key)
        }
    }

    fn invalid(&self, key: &str, expected: &str) -> RuleError {
        let value = self.table.get(key).map(display_value).unwrap_or_default();
        RuleError::InvalidValue {
            key: self.path(key),
            value,
            expected: expected.to_string(),
        }
    }

    fn check_keys(&self, allowed: &[&str]) -> Result<(), RuleError> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(key) => Err(RuleError::UnknownKey {
                key: self.path(key),
            }),
            None => Ok(()),
        }
    }

    fn section(&self, key: &str) -> Result<Option<Section<'a>>, RuleError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Table(table)) => Ok(Some(Section {
                prefix: self.path(key),
                table,
            })),
            Some(_) => Err(self.invalid(key, "таблица параметров")),
        }
    }

    fn number(&self, key: &str) -> Result<Option<f64>, RuleError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => Ok(Some(*i as f64)),
            Some(Value::Float(f)) if f.is_finite() => Ok(Some(*f)),
            Some(_) => Err(self.invalid(key, "число")),
        }
    }

    fn share(&self, key: &str) -> Result<Option<f64>, RuleError> {
        match self.number(key) {
            Ok(Some(v)) if (0.0..=1.0).contains(&v) => Ok(Some(v)),
            Ok(None) => Ok(None),
            _ => Err(self.invalid(key, "число от 0 до 1")),
        }
    }

    fn integer(&self, key: &str, min: i64, max: i64) -> Result<Option<u32>, RuleError> {
        let expected = if max >= i64::from(u32::MAX) {
            format!("целое число не меньше {min}")
        } else {
            format!("целое число от {min} до {max}")
        };
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) if (min..=max).contains(i) => u32::try_from(*i)
                .map(Some)
                .map_err(|_| self.invalid(key, &expected)),
            Some(_) => Err(self.invalid(key, &expected)),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, RuleError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(*b)),
            Some(_) => Err(self.invalid(key, "true или false")),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, RuleError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(key, "строка")),
        }
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::Table(_) => "{…}".to_string(),
        other => other.to_string(),
    }
}

/// Whether a pupil failed: ВПР/ОГЭ mark 2 (missing mark: not failed), or ЕГЭ
/// score below `ege_min_score[subject]` (missing score or a subject without a
/// minimum score: not failed).
pub fn fails(
    procedure: Procedure,
    subject: &str,
    mark: Option<u8>,
    score: Option<f64>,
    rule: &RuleConfig,
) -> bool {
    match procedure {
        Procedure::Vpr | Procedure::Oge => mark == Some(2),
        Procedure::Ege => match (score, rule.ege_min_score.get(subject)) {
            (Some(score), Some(min)) => score < *min,
            _ => false,
        },
    }
}

/// Builds a cell from pupil results using [`fails`]; a convenience for
/// callers and tests that start from pupil rows.
pub fn cell_from_pupils(
    school_id: &str,
    year: i32,
    procedure: Procedure,
    subject: &str,
    grade: u8,
    pupils: &[(Option<u8>, Option<f64>)],
    rule: &RuleConfig,
) -> Cell {
    let failed = pupils
        .iter()
        .filter(|(mark, score)| fails(procedure, subject, *mark, *score, rule))
        .count();
    Cell {
        school_id: school_id.to_string(),
        year,
        procedure,
        subject: subject.to_string(),
        grade,
        participants: u32::try_from(pupils.len()).unwrap_or(u32::MAX),
        failed: u32::try_from(failed).unwrap_or(u32::MAX),
    }
}
