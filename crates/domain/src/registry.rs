//! The registry: schools and where they are, school years, statuses with their sources, people and roles.
//!
//! Values are parsed once at the edge (`parse` functions) so that everything past the edge holds only
//! valid data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A school's identifier as the region's registry writes it (e.g. «2401001»). Opaque text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SchoolId(String);

impl SchoolId {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let id = raw.trim();
        let valid = !id.is_empty()
            && id.len() <= 32
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if valid {
            Ok(Self(id.to_owned()))
        } else if id.is_empty() {
            Err(DomainError::Empty("school_id"))
        } else {
            Err(DomainError::InvalidSchoolId(id.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SchoolId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Городская или сельская школа.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    City,
    Village,
}

impl Locality {
    pub const ALL: [Locality; 2] = [Locality::City, Locality::Village];

    /// Accepts the words of DESIGN.md §4.1 in any case.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let word = raw.trim();
        let known = |w: &str| match w {
            "город" | "city" => Some(Self::City),
            "село" | "village" => Some(Self::Village),
            _ => None,
        };
        // The usual spellings first, without lower-casing (a registry has one per school).
        known(word)
            .or_else(|| known(&word.to_lowercase()))
            .ok_or_else(|| DomainError::InvalidLocality(word.to_owned()))
    }

    /// The word users write and read: «город» / «село».
    pub fn label(self) -> &'static str {
        match self {
            Self::City => "город",
            Self::Village => "село",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::Village => "village",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Вид общеобразовательной организации. Known kinds are normalised; anything else is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SchoolKind(String);

impl SchoolKind {
    const KNOWN: [&'static str; 5] = ["НОШ", "ООШ", "СОШ", "Гимназия", "Лицей"];

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let kind = raw.trim();
        if kind.is_empty() {
            return Err(DomainError::Empty("kind"));
        }
        // Exact spellings first: lower-casing every known kind for every school of a national
        // registry cost more than reading it.
        let known = Self::KNOWN.iter().find(|k| **k == kind).or_else(|| {
            let lower = kind.to_lowercase();
            Self::KNOWN.iter().find(|k| k.to_lowercase() == lower)
        });
        Ok(Self(
            known.map_or_else(|| kind.to_owned(), |k| (*k).to_owned()),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Social-context shares of a school (DESIGN.md §4.1), each 0..=1 when known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SocialContext {
    pub low_income: Option<f64>,
    pub single_parent: Option<f64>,
    pub non_native: Option<f64>,
    pub disability: Option<f64>,
    pub parents_higher_ed: Option<f64>,
    pub on_register: Option<f64>,
}

impl SocialContext {
    /// Column names in the order of DESIGN.md §4.1.
    pub const COLUMNS: [&'static str; 6] = [
        "low_income",
        "single_parent",
        "non_native",
        "disability",
        "parents_higher_ed",
        "on_register",
    ];

    pub fn get(&self, column: &str) -> Option<f64> {
        match column {
            "low_income" => self.low_income,
            "single_parent" => self.single_parent,
            "non_native" => self.non_native,
            "disability" => self.disability,
            "parents_higher_ed" => self.parents_higher_ed,
            "on_register" => self.on_register,
            _ => None,
        }
    }

    /// Sets a share after checking it lies in 0..=1; an unknown column is ignored.
    pub fn set(&mut self, column: &'static str, value: f64) -> Result<(), DomainError> {
        if !(0.0..=1.0).contains(&value) {
            return Err(DomainError::InvalidShare {
                column,
                value: value.to_string(),
            });
        }
        let slot = match column {
            "low_income" => &mut self.low_income,
            "single_parent" => &mut self.single_parent,
            "non_native" => &mut self.non_native,
            "disability" => &mut self.disability,
            "parents_higher_ed" => &mut self.parents_higher_ed,
            "on_register" => &mut self.on_register,
            _ => return Ok(()),
        };
        *slot = Some(value);
        Ok(())
    }
}

/// One school as a registry file describes it: names of its region and municipality, not ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolRecord {
    pub id: SchoolId,
    pub name: String,
    pub region: String,
    pub municipality: String,
    pub locality: Locality,
    pub kind: SchoolKind,
    pub students: u32,
    pub social: SocialContext,
}

/// Parses enrolment: a whole number ≥ 0 («120», «120.0» from spreadsheets).
pub fn parse_enrolment(raw: &str) -> Result<u32, DomainError> {
    let text = raw.trim().replace([' ', '\u{a0}'], "");
    let err = || DomainError::InvalidEnrolment(raw.trim().to_owned());
    if let Ok(n) = text.parse::<u32>() {
        return Ok(n);
    }
    let value: f64 = text.replace(',', ".").parse().map_err(|_| err())?;
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(err())
    }
}

/// Parses a share written as «0.25» or «0,25».
pub fn parse_share(column: &'static str, raw: &str) -> Result<f64, DomainError> {
    let trimmed = raw.trim();
    // A decimal comma is replaced only when there is one (no allocation otherwise).
    let text = if trimmed.contains(',') {
        std::borrow::Cow::Owned(trimmed.replace(',', "."))
    } else {
        std::borrow::Cow::Borrowed(trimmed)
    };
    let value: f64 = text.parse().map_err(|_| DomainError::InvalidShare {
        column,
        value: raw.trim().to_owned(),
    })?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::InvalidShare {
            column,
            value: raw.trim().to_owned(),
        })
    }
}

/// Учебный год, named by the calendar year it starts in: 2024 is 2024/2025 (1 September – 31 August).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SchoolYear(i32);

impl SchoolYear {
    pub fn new(start_year: i32) -> Result<Self, DomainError> {
        if (2000..=2100).contains(&start_year) {
            Ok(Self(start_year))
        } else {
            Err(DomainError::InvalidSchoolYear(start_year.to_string()))
        }
    }

    /// «2024/2025», «2024-2025», «2024».
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let err = || DomainError::InvalidSchoolYear(raw.trim().to_owned());
        let text = raw.trim();
        let (first, second) = match text.split_once(['/', '-', '–']) {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (text, None),
        };
        let start: i32 = first.parse().map_err(|_| err())?;
        if let Some(second) = second {
            let end: i32 = second.parse().map_err(|_| err())?;
            if end != start + 1 {
                return Err(err());
            }
        }
        Self::new(start).map_err(|_| err())
    }

    pub fn start_year(self) -> i32 {
        self.0
    }

    pub fn starts(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 9, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn ends(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 8, 31).unwrap_or(NaiveDate::MAX)
    }

    /// «2024/2025».
    pub fn label(self) -> String {
        format!("{}/{}", self.0, self.0 + 1)
    }

    pub fn previous(self) -> Self {
        Self(self.0 - 1)
    }
}

/// The status a school has in a school year. ШНСУ is orthogonal to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    LowResults,
    SocialRisk,
    Declining,
    Mentor,
}

impl StatusKind {
    pub const ALL: [StatusKind; 4] = [
        StatusKind::LowResults,
        StatusKind::SocialRisk,
        StatusKind::Declining,
        StatusKind::Mentor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LowResults => "low_results",
            Self::SocialRisk => "social_risk",
            Self::Declining => "declining",
            Self::Mentor => "mentor",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
            .ok_or_else(|| DomainError::InvalidStatus(code.trim().to_owned()))
    }

    /// The short name used in tables: ШНОР, ШНСУ, зона риска, школа-наставник.
    pub fn label(self) -> &'static str {
        match self {
            Self::LowResults => "ШНОР",
            Self::SocialRisk => "ШНСУ",
            Self::Declining => "Зона риска",
            Self::Mentor => "Школа-наставник",
        }
    }

    /// The full wording, for titles and tooltips.
    pub fn description(self) -> &'static str {
        match self {
            Self::LowResults => "Школа с низкими образовательными результатами",
            Self::SocialRisk => "Школа, функционирующая в неблагоприятных социальных условиях",
            Self::Declining => "Школа в зоне риска снижения образовательных результатов",
            Self::Mentor => "Школа-наставник",
        }
    }
}

/// Whether a status record gives the status or takes it away. History is append-only:
/// the status in force is the latest record for (school, year, status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusDecision {
    Assigned,
    Removed,
}

impl StatusDecision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Removed => "removed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "assigned" => Some(Self::Assigned),
            "removed" => Some(Self::Removed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Assigned => "присвоен",
            Self::Removed => "снят",
        }
    }
}

/// Where a status decision came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatusSource {
    /// Computed by an identification rule of the given version.
    RuleRun { rule_version: String },
    /// Decided by a person and fixed by an order (приказ).
    Manual {
        order_number: String,
        order_date: Option<NaiveDate>,
    },
}

impl StatusSource {
    /// «правило ШНОР v1» / «приказ № 83 от 09.03.2022».
    pub fn describe(&self) -> String {
        match self {
            Self::RuleRun { rule_version } => format!("правило выявления, версия {rule_version}"),
            Self::Manual {
                order_number,
                order_date: Some(date),
            } => format!(
                "приказ №\u{a0}{order_number} от {}",
                crate::text::format_date_short(*date)
            ),
            Self::Manual {
                order_number,
                order_date: None,
            } => format!("приказ №\u{a0}{order_number}"),
        }
    }
}

/// A status decision to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusDecisionRecord {
    pub school_id: SchoolId,
    pub year: SchoolYear,
    pub status: StatusKind,
    pub decision: StatusDecision,
    pub source: StatusSource,
    pub note: Option<String>,
}

/// Roles of DESIGN.md §9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RegionalCoordinator,
    MunicipalCoordinator,
    Curator,
    SchoolLead,
    Reviewer,
    Observer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::RegionalCoordinator,
        Role::MunicipalCoordinator,
        Role::Curator,
        Role::SchoolLead,
        Role::Reviewer,
        Role::Observer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::RegionalCoordinator => "regional_coordinator",
            Self::MunicipalCoordinator => "municipal_coordinator",
            Self::Curator => "curator",
            Self::SchoolLead => "school_lead",
            Self::Reviewer => "reviewer",
            Self::Observer => "observer",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or_else(|| DomainError::InvalidRole(code.trim().to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::RegionalCoordinator => "Региональный координатор",
            Self::MunicipalCoordinator => "Муниципальный координатор",
            Self::Curator => "Куратор",
            Self::SchoolLead => "Руководитель ОО",
            Self::Reviewer => "Эксперт",
            Self::Observer => "Наблюдатель",
        }
    }
}

/// Where a role applies: the hierarchy region → municipality → school.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    Region(i64),
    Municipality(i64),
    School(SchoolId),
}

impl Scope {
    /// `region:1`, `municipality:3`, `school:2401001`.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let err = || DomainError::InvalidScope(raw.trim().to_owned());
        let (kind, id) = raw.trim().split_once(':').ok_or_else(err)?;
        match kind {
            "region" => id.parse().map(Self::Region).map_err(|_| err()),
            "municipality" => id.parse().map(Self::Municipality).map_err(|_| err()),
            "school" => SchoolId::parse(id).map(Self::School).map_err(|_| err()),
            _ => Err(err()),
        }
    }

    /// `region:1`, `municipality:3`, `school:2401001`: what `parse` reads.
    pub fn code(&self) -> String {
        match self {
            Self::Region(id) => format!("region:{id}"),
            Self::Municipality(id) => format!("municipality:{id}"),
            Self::School(id) => format!("school:{}", id.as_str()),
        }
    }

    pub fn kind_code(&self) -> &'static str {
        match self {
            Self::Region(_) => "region",
            Self::Municipality(_) => "municipality",
            Self::School(_) => "school",
        }
    }
}

/// A person who works in the system (staff, never pupils).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDraft {
    pub full_name: String,
    pub position: Option<String>,
    pub email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_id_rejects_spaces_and_empty() {
        assert!(SchoolId::parse(" 2401001 ").is_ok());
        assert_eq!(SchoolId::parse(""), Err(DomainError::Empty("school_id")));
        assert!(matches!(
            SchoolId::parse("24 01"),
            Err(DomainError::InvalidSchoolId(_))
        ));
    }

    #[test]
    fn locality_accepts_any_case_and_rejects_others() {
        assert_eq!(Locality::parse("Город"), Ok(Locality::City));
        assert_eq!(Locality::parse(" СЕЛО "), Ok(Locality::Village));
        assert_eq!(
            Locality::parse("посёлок"),
            Err(DomainError::InvalidLocality("посёлок".into()))
        );
    }

    #[test]
    fn kind_normalises_known_and_keeps_others() {
        assert_eq!(SchoolKind::parse("сош").map(|k| k.0), Ok("СОШ".into()));
        assert_eq!(
            SchoolKind::parse(" Лицей ").map(|k| k.0),
            Ok("Лицей".into())
        );
        assert_eq!(
            SchoolKind::parse("гимназия").map(|k| k.0),
            Ok("Гимназия".into())
        );
        assert_eq!(
            SchoolKind::parse("Кадетский корпус").map(|k| k.0),
            Ok("Кадетский корпус".into())
        );
    }

    #[test]
    fn enrolment_must_be_whole_and_not_negative() {
        assert_eq!(parse_enrolment("120"), Ok(120));
        assert_eq!(parse_enrolment("1 250"), Ok(1250));
        assert_eq!(parse_enrolment("120.0"), Ok(120));
        assert!(parse_enrolment("-5").is_err());
        assert!(parse_enrolment("12.5").is_err());
        assert!(parse_enrolment("много").is_err());
    }

    #[test]
    fn shares_lie_between_zero_and_one() {
        assert_eq!(parse_share("low_income", "0,25"), Ok(0.25));
        assert_eq!(parse_share("low_income", " 0.25 "), Ok(0.25));
        assert!(parse_share("low_income", "0,2,5").is_err());
        assert!(parse_share("low_income", "1.5").is_err());
        assert!(parse_share("low_income", "-0.1").is_err());
    }

    #[test]
    fn school_year_forms() {
        let y = SchoolYear::parse("2024/2025").expect("valid");
        assert_eq!(y.start_year(), 2024);
        assert_eq!(SchoolYear::parse("2024"), Ok(y));
        assert!(SchoolYear::parse("2024/2026").is_err());
        assert_eq!(y.label(), "2024/2025");
        assert_eq!(y.ends().to_string(), "2025-08-31");
    }

    #[test]
    fn scope_forms() {
        assert_eq!(Scope::parse("region:1"), Ok(Scope::Region(1)));
        assert_eq!(
            Scope::parse("school:2401001"),
            Ok(Scope::School(SchoolId("2401001".into())))
        );
        assert!(Scope::parse("district:1").is_err());
        assert!(Scope::parse("municipality:x").is_err());
        for code in ["region:1", "municipality:3", "school:2401001"] {
            let scope = Scope::parse(code).expect("a valid scope");
            assert_eq!(scope.code(), code, "code() is what parse() reads");
        }
    }

    #[test]
    fn manual_source_names_the_order() {
        let src = StatusSource::Manual {
            order_number: "83".into(),
            order_date: NaiveDate::from_ymd_opt(2022, 3, 9),
        };
        assert_eq!(src.describe(), "приказ №\u{a0}83 от 09.03.2022");
    }
}
