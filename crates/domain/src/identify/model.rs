//! Input and output data types of the identification engine.

use serde::{Deserialize, Serialize};

/// An assessment procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Procedure {
    /// ВПР (всероссийские проверочные работы).
    #[serde(rename = "VPR")]
    Vpr,
    /// ОГЭ (основной государственный экзамен).
    #[serde(rename = "OGE")]
    Oge,
    /// ЕГЭ (единый государственный экзамен).
    #[serde(rename = "EGE")]
    Ege,
}

impl Procedure {
    /// All procedures in their canonical order.
    pub const ALL: [Procedure; 3] = [Procedure::Vpr, Procedure::Oge, Procedure::Ege];

    /// Machine code: "VPR", "OGE" or "EGE".
    pub fn code(self) -> &'static str {
        match self {
            Procedure::Vpr => "VPR",
            Procedure::Oge => "OGE",
            Procedure::Ege => "EGE",
        }
    }

    /// Parses a machine code ("VPR", "OGE", "EGE").
    pub fn from_code(code: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Russian name shown to users: «ВПР», «ОГЭ», «ЕГЭ».
    pub fn title(self) -> &'static str {
        match self {
            Procedure::Vpr => "ВПР",
            Procedure::Oge => "ОГЭ",
            Procedure::Ege => "ЕГЭ",
        }
    }
}

/// One aggregated result cell: pupils of one school who took one procedure
/// in one subject and grade in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub school_id: String,
    pub year: i32,
    pub procedure: Procedure,
    /// Subject code, e.g. "ru" or "math"; other codes are kept as they are.
    pub subject: String,
    /// Grade, 4..=11.
    pub grade: u8,
    pub participants: u32,
    /// Participants below the minimum threshold.
    pub failed: u32,
}

/// Number of social-context factors.
pub const SOCIAL_FACTORS: usize = 6;

/// Names of the social-context factors, in the order of
/// [`SchoolContext::social`].
pub const SOCIAL_FACTOR_NAMES: [&str; SOCIAL_FACTORS] = [
    "low_income",
    "single_parent",
    "non_native",
    "disability",
    "parents_higher_ed",
    "on_register",
];

/// A school known to the authority, with its social context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolContext {
    pub school_id: String,
    /// Shares 0..1 of pupils: low_income, single_parent, non_native,
    /// disability, parents_higher_ed, on_register. `None` when unknown.
    pub social: [Option<f64>; SOCIAL_FACTORS],
}

impl SchoolContext {
    /// A registry school as the rule engine takes it.
    pub fn from_registry(
        id: &crate::registry::SchoolId,
        social: &crate::registry::SocialContext,
    ) -> Self {
        Self {
            school_id: id.as_str().to_owned(),
            social: SOCIAL_FACTOR_NAMES.map(|column| social.get(column)),
        }
    }
}

/// Why a school is on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// ШНОР, clause (a): at least two units fail in the year.
    TwoProcedures,
    /// ШНОР, clause (b): a unit fails in the previous year and in the year.
    TwoYears,
    /// Зона риска: a failing share rose by at least `rise_points`.
    ShareRose,
    /// Зона риска: exactly one unit fails in the year.
    SingleUnit,
    /// Mentor candidate: consistently high results.
    HighResults,
}

/// A rule cell as reported in decisions: one school, year, unit and subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellSummary {
    pub school_id: String,
    pub year: i32,
    pub procedure: Procedure,
    /// `Some` when the rule unit is "procedure+grade", `None` when grades are pooled.
    pub grade: Option<u8>,
    pub subject: String,
    pub participants: u32,
    pub failed: u32,
    /// failed / participants (0 when there are no participants); for display only.
    pub share: f64,
}

/// One school on a list, with the cells that decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub school_id: String,
    pub reason: Reason,
    pub cells: Vec<CellSummary>,
    /// Russian explanation for people.
    pub explanation: String,
}

/// One school on the ШНСУ (social risk) list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocialDecision {
    pub school_id: String,
    /// Composite index Σ weight·share.
    pub index: f64,
    /// 1-based position in the ranking of all schools with enough data.
    pub rank: usize,
    /// Number of schools with enough data that were ranked.
    pub ranked_schools: usize,
    pub explanation: String,
}

/// The result of applying the rule for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identification {
    pub year: i32,
    /// `version` of the rule; recorded as the source of statuses.
    pub rule_version: String,
    /// ШНОР: schools with low results.
    pub low_results: Vec<Decision>,
    /// Зона риска снижения результатов.
    pub declining: Vec<Decision>,
    /// ШНСУ: schools in difficult social conditions.
    pub social_risk: Vec<SocialDecision>,
    /// Schools left out of ШНСУ because a weighted social share is unknown.
    pub social_insufficient_data: Vec<String>,
    /// Mentor candidates.
    pub mentors: Vec<Decision>,
    /// Rule cells with fewer than `min_participants` participants.
    pub ignored_cells: Vec<CellSummary>,
    /// School ids found in cells but absent from the school list.
    pub unknown_schools: Vec<String>,
}

/// Movement between two years' lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Transitions {
    /// In `current` only.
    pub entered: Vec<String>,
    /// In both.
    pub stayed: Vec<String>,
    /// In `previous` only.
    pub left: Vec<String>,
}
