//! What the store's queries return and take: plain values for pages, API and CLI.

use chrono::{DateTime, NaiveDate, Utc};
use orientir_domain::registry::{
    Locality, Role, SchoolId, SchoolKind, SchoolYear, SocialContext, StatusDecision, StatusKind,
    StatusSource,
};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegionRow {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MunicipalityRow {
    pub id: i64,
    pub name: String,
    pub region_id: i64,
    pub region_name: String,
}

/// A municipality with the number of its schools, in all and by status, for one school year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MunicipalitySummary {
    pub id: i64,
    pub name: String,
    pub schools: i64,
    pub low_results: i64,
    pub social_risk: i64,
    pub declining: i64,
    pub mentor: i64,
}

impl MunicipalitySummary {
    pub fn count(&self, status: StatusKind) -> i64 {
        match status {
            StatusKind::LowResults => self.low_results,
            StatusKind::SocialRisk => self.social_risk,
            StatusKind::Declining => self.declining,
            StatusKind::Mentor => self.mentor,
        }
    }
}

/// One line of a municipality's schools table.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolRow {
    pub id: SchoolId,
    pub name: String,
    pub locality: Locality,
    pub kind: SchoolKind,
    pub students: i64,
    /// Statuses in force in the year the table was asked for, in `StatusKind::ALL` order.
    pub statuses: Vec<StatusKind>,
}

/// The school card: the school, where it is, and its social context.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolCard {
    pub id: SchoolId,
    pub name: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub region_id: i64,
    pub region_name: String,
    pub locality: Locality,
    pub kind: SchoolKind,
    pub students: i64,
    pub social: SocialContext,
    pub updated_at: DateTime<Utc>,
}

/// One record of a school's status history.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEntry {
    pub year: SchoolYear,
    pub status: StatusKind,
    pub decision: StatusDecision,
    pub source: StatusSource,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// Whether this record is the one in force for its (year, status).
    pub in_force: bool,
}

/// A person with a role at a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRole {
    pub person_id: i64,
    pub full_name: String,
    pub position: Option<String>,
    pub role: Role,
}

/// Which schools of a municipality to list, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolFilter {
    pub municipality_id: i64,
    /// The year whose statuses are shown and filtered on.
    pub year: Option<SchoolYear>,
    pub status: Option<StatusKind>,
    pub locality: Option<Locality>,
    pub kind: Option<String>,
    pub sort: SchoolSort,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchoolSort {
    #[default]
    Name,
    Students,
    Kind,
    Locality,
}

impl SchoolSort {
    pub const ALL: [SchoolSort; 4] = [Self::Name, Self::Students, Self::Kind, Self::Locality];

    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Students => "students",
            Self::Kind => "kind",
            Self::Locality => "locality",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The ORDER BY expression; a closed set, so nothing from the request reaches the SQL text.
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Self::Name => "s.sort_key",
            Self::Students => "s.students",
            Self::Kind => "s.kind",
            Self::Locality => "s.locality",
        }
    }
}

/// What an import of schools changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub schools_created: usize,
    pub schools_updated: usize,
    pub regions_created: usize,
    pub municipalities_created: usize,
}

/// What loading the demo region wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    pub schools: usize,
    pub municipalities: usize,
    pub status_records: usize,
    pub people: usize,
}

/// A status record as stored, before it is turned into domain values.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RawStatus {
    pub school_year: i64,
    pub status: String,
    pub decision: String,
    pub source_kind: String,
    pub rule_version: Option<String>,
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}
