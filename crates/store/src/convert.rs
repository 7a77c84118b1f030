//! Stored text codes back into domain values. A code the domain does not know means the database was
//! written by something else than this application: that is reported, never guessed.

use chrono::{DateTime, Utc};
use orientir_domain::registry::{
    Locality, Role, SchoolId, SchoolKind, SchoolYear, SocialContext, StatusDecision, StatusKind,
    StatusSource,
};

use crate::StoreError;
use crate::rows::{PersonRole, RawStatus, SchoolCard, SchoolRow, StatusEntry};

#[derive(Debug, sqlx::FromRow)]
pub struct RawSchool {
    pub id: String,
    pub name: String,
    pub locality: String,
    pub kind: String,
    pub students: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawSchoolCard {
    pub id: String,
    pub name: String,
    pub locality: String,
    pub kind: String,
    pub students: i64,
    pub low_income: Option<f64>,
    pub single_parent: Option<f64>,
    pub non_native: Option<f64>,
    pub disability: Option<f64>,
    pub parents_higher_ed: Option<f64>,
    pub on_register: Option<f64>,
    pub updated_at: DateTime<Utc>,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub region_id: i64,
    pub region_name: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawPersonRole {
    pub person_id: i64,
    pub full_name: String,
    pub position: Option<String>,
    pub role: String,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} «{value}»"))
}

fn school_id(raw: &str) -> Result<SchoolId, StoreError> {
    SchoolId::parse(raw).map_err(|_| corrupt("код школы", raw))
}

fn locality(raw: &str) -> Result<Locality, StoreError> {
    Locality::from_code(raw).ok_or_else(|| corrupt("тип местности", raw))
}

fn kind(raw: &str) -> Result<SchoolKind, StoreError> {
    SchoolKind::parse(raw).map_err(|_| corrupt("вид школы", raw))
}

pub fn status(raw: &str) -> Result<StatusKind, StoreError> {
    StatusKind::parse(raw).map_err(|_| corrupt("статус", raw))
}

fn year(raw: i64) -> Result<SchoolYear, StoreError> {
    i32::try_from(raw)
        .ok()
        .and_then(|y| SchoolYear::new(y).ok())
        .ok_or_else(|| corrupt("учебный год", &raw.to_string()))
}

impl RawSchool {
    pub fn into_row(self, statuses: Vec<StatusKind>) -> Result<SchoolRow, StoreError> {
        Ok(SchoolRow {
            id: school_id(&self.id)?,
            name: self.name,
            locality: locality(&self.locality)?,
            kind: kind(&self.kind)?,
            students: self.students,
            statuses,
        })
    }
}

impl TryFrom<RawSchoolCard> for SchoolCard {
    type Error = StoreError;

    fn try_from(raw: RawSchoolCard) -> Result<Self, StoreError> {
        Ok(SchoolCard {
            id: school_id(&raw.id)?,
            name: raw.name,
            municipality_id: raw.municipality_id,
            municipality_name: raw.municipality_name,
            region_id: raw.region_id,
            region_name: raw.region_name,
            locality: locality(&raw.locality)?,
            kind: kind(&raw.kind)?,
            students: raw.students,
            social: SocialContext {
                low_income: raw.low_income,
                single_parent: raw.single_parent,
                non_native: raw.non_native,
                disability: raw.disability,
                parents_higher_ed: raw.parents_higher_ed,
                on_register: raw.on_register,
            },
            updated_at: raw.updated_at,
        })
    }
}

impl TryFrom<RawPersonRole> for PersonRole {
    type Error = StoreError;

    fn try_from(raw: RawPersonRole) -> Result<Self, StoreError> {
        Ok(PersonRole {
            person_id: raw.person_id,
            full_name: raw.full_name,
            position: raw.position,
            role: Role::parse(&raw.role).map_err(|_| corrupt("роль", &raw.role))?,
        })
    }
}

/// Turns a school's records (oldest first) into history entries, marking the ones in force.
pub fn history(raw: Vec<RawStatus>) -> Result<Vec<StatusEntry>, StoreError> {
    let mut entries = raw
        .into_iter()
        .map(|r| {
            let source = match (r.source_kind.as_str(), r.rule_version, r.order_number) {
                ("rule_run", Some(rule_version), _) => StatusSource::RuleRun { rule_version },
                ("manual", _, Some(order_number)) => StatusSource::Manual {
                    order_number,
                    order_date: r.order_date,
                },
                (other, _, _) => return Err(corrupt("источник статуса", other)),
            };
            Ok(StatusEntry {
                year: year(r.school_year)?,
                status: status(&r.status)?,
                decision: StatusDecision::from_code(&r.decision)
                    .ok_or_else(|| corrupt("решение", &r.decision))?,
                source,
                note: r.note,
                recorded_at: r.recorded_at,
                in_force: false,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The latest record of each (year, status) is the one in force.
    let mut seen = std::collections::HashSet::new();
    for entry in entries.iter_mut().rev() {
        entry.in_force = seen.insert((entry.year, entry.status));
    }
    Ok(entries)
}
