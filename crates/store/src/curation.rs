//! Сопровождение школ: curators assigned to schools, mentor agreements (соглашения) whose joint
//! plan is a road map of the supported school, and the curators' visits. Every change is written
//! with its audit record (object kind "school", object id the school's code) in one transaction,
//! so a school's «История» shows who assigned or removed a curator, signed an agreement, planned
//! or recorded a visit. Also the accounts list with roles for the users' page.

use chrono::{DateTime, NaiveDate, Utc};
use orientir_domain::period::Window;
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::{Level, RoadMap, Section};
use orientir_domain::text::format_date_short;
use serde_json::json;

use crate::access::{Actor, NewAudit};
use crate::road_maps::OwnerColumns;
use crate::{Db, Store, StoreError};

/// A curator of a school. `user_id`/`login` are empty for a person without an account.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CuratorRow {
    pub user_id: Option<i64>,
    pub login: Option<String>,
    pub person_id: i64,
    pub full_name: String,
    pub assigned_at: DateTime<Utc>,
}

/// An account that may be assigned as a curator (holds the curator role around the school).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CuratorCandidate {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
}

/// A school a curator is assigned to.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CuratedSchool {
    pub school_id: String,
    pub school_name: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub assigned_at: DateTime<Utc>,
}

/// A school of a region, as a choice of mentor school.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegionSchool {
    pub id: String,
    pub name: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    /// 1 when the school has the mentor status in force in the latest year with statuses.
    pub mentor: i64,
}

impl RegionSchool {
    pub fn is_mentor(&self) -> bool {
        self.mentor != 0
    }
}

/// A соглашение between a supported school and its mentor school.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub school_id: String,
    pub school_name: String,
    pub mentor_school_id: String,
    pub mentor_school_name: String,
    pub number: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The joint plan: a road map owned by the supported school.
    pub road_map_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A new agreement, before it is checked.
#[derive(Debug, Clone)]
pub struct NewAgreement<'a> {
    pub school: &'a SchoolId,
    pub mentor: &'a SchoolId,
    /// As typed; surrounding spaces and a leading «№» are dropped.
    pub number: &'a str,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

impl NewAgreement<'_> {
    /// The number as stored: «№ 12-С» → «12-С».
    pub fn clean_number(&self) -> &str {
        let number = self.number.trim();
        number.strip_prefix('№').unwrap_or(number).trim()
    }

    /// Why the agreement cannot be stored, in Russian; `None` when it can (the region of the
    /// mentor school is checked when storing).
    pub fn problem(&self) -> Option<String> {
        if self.clean_number().is_empty() {
            return Some("Укажите номер соглашения.".to_owned());
        }
        if self.clean_number().chars().count() > MAX_NUMBER_CHARS {
            return Some(format!(
                "Номер соглашения длиннее {MAX_NUMBER_CHARS} знаков."
            ));
        }
        if self.mentor == self.school {
            return Some(
                "Школа не может быть наставником самой себе: выберите другую школу-наставника."
                    .to_owned(),
            );
        }
        if self.valid_from > self.valid_to {
            return Some(format!(
                "Срок действия соглашения начинается позже, чем заканчивается: с {} по {}.",
                format_date_short(self.valid_from),
                format_date_short(self.valid_to)
            ));
        }
        None
    }
}

/// Longest agreement number accepted.
pub const MAX_NUMBER_CHARS: usize = 50;

/// A stored agreement and its joint plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgreementRef {
    pub id: i64,
    pub road_map_id: i64,
}

/// A planned or recorded visit of a curator to a school.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VisitRow {
    pub id: i64,
    pub school_id: String,
    pub school_name: String,
    pub curator_person_id: i64,
    pub curator_name: String,
    pub planned_on: NaiveDate,
    /// Set once the visit is recorded as done.
    pub visited_on: Option<NaiveDate>,
    pub purpose: String,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

/// An account with each role it holds, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRoleRow {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
    pub disabled: bool,
    pub role: Option<String>,
    pub region_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub school_id: Option<String>,
    pub scope_name: Option<String>,
}

/// One role of an account, with where it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRole {
    pub role: Role,
    pub scope: Scope,
    /// The region the scope lies in.
    pub region_id: i64,
    /// The name of the region, municipality or school.
    pub scope_name: String,
}

/// An account with its roles, for the users' page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub disabled: bool,
    pub roles: Vec<AccountRole>,
}

/// Longest purpose or note of a visit accepted.
pub const MAX_VISIT_TEXT_CHARS: usize = 4000;

fn audit<'a>(
    actor: &'a Actor,
    at: DateTime<Utc>,
    school: &'a str,
    action: &'a str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> NewAudit<'a> {
    NewAudit {
        at,
        actor,
        object_kind: "school",
        object_id: school,
        action,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    }
}

fn account_role(row: &UserRoleRow) -> Result<Option<AccountRole>, StoreError> {
    let Some(code) = &row.role else {
        return Ok(None);
    };
    let role = Role::parse(code).map_err(|_| StoreError::Corrupt(format!("роль «{code}»")))?;
    let corrupt = || StoreError::Corrupt(format!("роль пользователя «{}» без места", row.login));
    let scope = match (&row.school_id, row.municipality_id) {
        (Some(id), _) => Scope::School(
            SchoolId::parse(id).map_err(|_| StoreError::Corrupt(format!("код школы «{id}»")))?,
        ),
        (None, Some(id)) => Scope::Municipality(id),
        (None, None) => Scope::Region(row.region_id.ok_or_else(corrupt)?),
    };
    Ok(Some(AccountRole {
        role,
        scope,
        region_id: row.region_id.ok_or_else(corrupt)?,
        scope_name: row.scope_name.clone().unwrap_or_default(),
    }))
}

impl Store {
    /// The curators of a school, by name.
    pub async fn curators_of(&self, school: &SchoolId) -> Result<Vec<CuratorRow>, StoreError> {
        read!(self, |repo, conn| repo::curation::curators_of(
            conn,
            school.as_str()
        )
        .await)
    }

    /// Accounts that may become curators of the municipality's schools: enabled, holding the
    /// curator role in the municipality or in its region.
    pub async fn curator_candidates(
        &self,
        municipality_id: i64,
    ) -> Result<Vec<CuratorCandidate>, StoreError> {
        read!(self, |repo, conn| repo::curation::curator_candidates(
            conn,
            municipality_id
        )
        .await)
    }

    /// The schools a user is the curator of, by municipality and name (the curator's dashboard).
    pub async fn schools_of_curator(&self, user_id: i64) -> Result<Vec<CuratedSchool>, StoreError> {
        read!(self, |repo, conn| repo::curation::schools_of_curator(
            conn, user_id
        )
        .await)
    }

    /// Whether the user is assigned as a curator of the school.
    pub async fn is_curator_of(&self, user_id: i64, school: &SchoolId) -> Result<bool, StoreError> {
        read!(self, |repo, conn| repo::curation::is_curator_of(
            conn,
            user_id,
            school.as_str()
        )
        .await)
    }

    /// Removes a curator from a school, with an audit record; tells whether they were assigned
    /// (removing someone who is not changes nothing and writes nothing).
    pub async fn unassign_curator(
        &self,
        user_id: i64,
        school: &SchoolId,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let person = repo::access::person_of_user(conn, user_id)
                .await?
                .ok_or_else(|| StoreError::Conflict(format!("нет пользователя № {user_id}")))?;
            let removed =
                repo::curation::delete_curator_assignment(conn, person, school.as_str()).await?;
            if removed {
                let (login, full_name) = repo::curation::user_name(conn, user_id)
                    .await?
                    .unwrap_or_default();
                repo::access::append_audit(
                    conn,
                    &audit(
                        &actor,
                        now,
                        school.as_str(),
                        "curator_removed",
                        Some(json!({
                            "curator_user": user_id, "login": login, "full_name": full_name
                        })),
                        None,
                    ),
                )
                .await?;
            }
            Ok::<_, StoreError>(removed)
        })
    }

    /// Every school of a region with its municipality; schools with the mentor status in force
    /// (in the latest year with statuses) first.
    pub async fn region_schools(&self, region_id: i64) -> Result<Vec<RegionSchool>, StoreError> {
        read!(self, |repo, conn| repo::curation::region_schools(
            conn, region_id
        )
        .await)
    }

    /// Stores an agreement and creates its joint plan, a draft road map of the supported school
    /// titled «Совместный план … (соглашение № …)», in one transaction with an audit record on
    /// both schools. Refuses (`Conflict`, in Russian) what [`NewAgreement::problem`] refuses, an
    /// unknown school, and a mentor school of another region.
    pub async fn add_agreement(
        &self,
        agreement: &NewAgreement<'_>,
    ) -> Result<AgreementRef, StoreError> {
        if let Some(problem) = agreement.problem() {
            return Err(StoreError::Conflict(problem));
        }
        let now = Utc::now();
        let actor = self.actor.clone();
        let number = agreement.clean_number().to_owned();
        let owner = Scope::School(agreement.school.clone());
        let columns = OwnerColumns::from(&owner);
        write!(self, |repo, conn| {
            repo::ensure_known_schools(
                conn,
                [agreement.school.as_str(), agreement.mentor.as_str()].into_iter(),
            )
            .await?;
            let (region, school_name) =
                repo::curation::school_region_and_name(conn, agreement.school.as_str())
                    .await?
                    .ok_or_else(|| {
                        StoreError::UnknownSchools(vec![agreement.school.to_string()])
                    })?;
            let (mentor_region, mentor_name) =
                repo::curation::school_region_and_name(conn, agreement.mentor.as_str())
                    .await?
                    .ok_or_else(|| {
                        StoreError::UnknownSchools(vec![agreement.mentor.to_string()])
                    })?;
            if region != mentor_region {
                return Err(StoreError::Conflict(format!(
                    "Школа-наставник «{mentor_name}» из другого региона: выберите школу того же \
                     региона, что и «{school_name}»."
                )));
            }
            let plan = RoadMap {
                title: format!(
                    "Совместный план {school_name} и {mentor_name} (соглашение № {number})"
                ),
                level: Level::School,
                owner: Some(school_name.clone()),
                order: None,
                period: Window::new(agreement.valid_from, agreement.valid_to),
                goals: Vec::new(),
                tasks: Vec::new(),
                expected_results: Vec::new(),
                sections: vec![Section {
                    title: "Совместные мероприятия".to_owned(),
                    tasks: Vec::new(),
                    planned_results: Vec::new(),
                    activities: Vec::new(),
                }],
            };
            let road_map = repo::save_road_map(conn, &columns, &plan, None, now).await?;
            let id = repo::curation::insert_agreement(
                conn,
                agreement.school.as_str(),
                agreement.mentor.as_str(),
                &number,
                agreement.signed_on,
                agreement.valid_from,
                agreement.valid_to,
                road_map.id,
                now,
            )
            .await?;
            let record = json!({
                "agreement": id, "number": number,
                "school": agreement.school.as_str(), "school_name": school_name,
                "mentor_school": agreement.mentor.as_str(), "mentor_school_name": mentor_name,
                "signed_on": agreement.signed_on, "valid_from": agreement.valid_from,
                "valid_to": agreement.valid_to, "road_map": road_map.id,
            });
            for school in [agreement.school.as_str(), agreement.mentor.as_str()] {
                repo::access::append_audit(
                    conn,
                    &audit(&actor, now, school, "agreement", None, Some(record.clone())),
                )
                .await?;
            }
            Ok::<_, StoreError>(AgreementRef {
                id,
                road_map_id: road_map.id,
            })
        })
    }

    /// The agreements a school is a party of (supported or mentor), latest signed first.
    pub async fn agreements_of(&self, school: &SchoolId) -> Result<Vec<AgreementRow>, StoreError> {
        read!(self, |repo, conn| repo::curation::agreements_of(
            conn,
            school.as_str()
        )
        .await)
    }

    /// Plans a visit of a curator (who must be assigned to the school) on a date, with an audit
    /// record; answers the visit's id.
    pub async fn plan_visit(
        &self,
        school: &SchoolId,
        curator_user_id: i64,
        planned_on: NaiveDate,
        purpose: &str,
    ) -> Result<i64, StoreError> {
        let purpose = purpose.trim();
        if purpose.is_empty() {
            return Err(StoreError::Conflict("Укажите цель посещения.".to_owned()));
        }
        if purpose.chars().count() > MAX_VISIT_TEXT_CHARS {
            return Err(StoreError::Conflict(format!(
                "Цель посещения длиннее {MAX_VISIT_TEXT_CHARS} знаков."
            )));
        }
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let (login, full_name) = repo::curation::user_name(conn, curator_user_id)
                .await?
                .ok_or_else(|| {
                    StoreError::Conflict(format!("нет пользователя № {curator_user_id}"))
                })?;
            if !repo::curation::is_curator_of(conn, curator_user_id, school.as_str()).await? {
                return Err(StoreError::Conflict(format!(
                    "{full_name} ({login}) не назначен куратором этой школы."
                )));
            }
            let person = repo::access::person_of_user(conn, curator_user_id)
                .await?
                .ok_or_else(|| {
                    StoreError::Conflict(format!("нет пользователя № {curator_user_id}"))
                })?;
            let id = repo::curation::insert_visit(
                conn,
                school.as_str(),
                person,
                planned_on,
                purpose,
                now,
            )
            .await?;
            repo::access::append_audit(
                conn,
                &audit(
                    &actor,
                    now,
                    school.as_str(),
                    "visit_planned",
                    None,
                    Some(json!({
                        "visit": id, "curator_user": curator_user_id, "login": login,
                        "full_name": full_name, "planned_on": planned_on, "purpose": purpose,
                    })),
                ),
            )
            .await?;
            Ok::<_, StoreError>(id)
        })
    }

    /// Records a visit as done (or corrects the record), with an audit record of before → after.
    pub async fn record_visit(
        &self,
        id: i64,
        visited_on: NaiveDate,
        notes: &str,
    ) -> Result<(), StoreError> {
        let notes = notes.trim();
        if notes.chars().count() > MAX_VISIT_TEXT_CHARS {
            return Err(StoreError::Conflict(format!(
                "Итоги посещения длиннее {MAX_VISIT_TEXT_CHARS} знаков."
            )));
        }
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let visit = repo::curation::visit(conn, id)
                .await?
                .ok_or_else(|| StoreError::Conflict(format!("Посещение № {id} не найдено.")))?;
            repo::curation::set_visit_done(conn, id, visited_on, notes).await?;
            repo::access::append_audit(
                conn,
                &audit(
                    &actor,
                    now,
                    &visit.school_id,
                    "visit_done",
                    Some(json!({
                        "visit": id, "planned_on": visit.planned_on,
                        "visited_on": visit.visited_on, "notes": visit.notes,
                    })),
                    Some(json!({
                        "visit": id, "curator": visit.curator_name,
                        "visited_on": visited_on, "notes": notes,
                    })),
                ),
            )
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn visit(&self, id: i64) -> Result<Option<VisitRow>, StoreError> {
        read!(self, |repo, conn| repo::curation::visit(conn, id).await)
    }

    /// A school's visits by planned date.
    pub async fn visits_of(&self, school: &SchoolId) -> Result<Vec<VisitRow>, StoreError> {
        read!(self, |repo, conn| repo::curation::visits_of(
            conn,
            school.as_str()
        )
        .await)
    }

    /// A curator's visits to every school, by planned date (the curator's schedule).
    pub async fn visits_of_curator(&self, user_id: i64) -> Result<Vec<VisitRow>, StoreError> {
        read!(self, |repo, conn| repo::curation::visits_of_curator(
            conn, user_id
        )
        .await)
    }

    /// Every account with its roles and where they apply, by login.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = read!(self, |repo, conn| repo::curation::user_roles(conn).await)?;
        let mut accounts: Vec<Account> = Vec::new();
        for row in rows {
            let role = account_role(&row)?;
            match accounts.last_mut() {
                Some(last) if last.id == row.user_id => last.roles.extend(role),
                _ => accounts.push(Account {
                    id: row.user_id,
                    login: row.login,
                    full_name: row.full_name,
                    disabled: row.disabled,
                    roles: role.into_iter().collect(),
                }),
            }
        }
        Ok(accounts)
    }
}
