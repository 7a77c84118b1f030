//! Сопровождение школы: the «Сопровождение» and «История» sections of the school card (curators,
//! mentor agreements, visits; the school's audit records), and the forms behind them: assigning
//! and removing curators, concluding an agreement with its joint plan, planning a visit and
//! recording it as done.
//!
//! Who may do what (on top of the one permission check):
//! - reading needs Read on Curation at the school;
//! - assigning curators and concluding agreements need Write on Curation at the school's
//!   *municipality*, which only municipal and regional coordinators have (a curator's Write on
//!   Curation reaches only the schools assigned to them);
//! - visits need Write on Curation at the school: coordinators plan for any curator of the school
//!   and record any visit; a curator plans and records only their own visits.

mod agreements;
mod curators;
mod visits;

use chrono::NaiveDate;
use orientir_domain::access::{Action, Place, Resource};
use orientir_domain::registry::{SchoolId, Scope};
use orientir_domain::text::format_date_short;
use orientir_store::{AuditEntry, CuratorRow};

use super::road_map::{Crumb, owner_crumbs};
use crate::auth::{Session, places};
use crate::{AppState, WebError};

pub use agreements::{agreement_form, create_agreement};
pub use curators::{assign, curators_page, unassign};
pub use visits::{plan_visit, record_form, record_visit, visit_form};

/// The school a curation page is about, with where it lives.
struct SchoolContext {
    id: SchoolId,
    name: String,
    place: Place,
    municipality_id: i64,
    crumbs: Vec<Crumb>,
}

impl SchoolContext {
    fn card_href(&self) -> String {
        format!("/schools/{}", self.id)
    }

    /// The breadcrumbs down to the school, for a page about it.
    fn crumbs(&self) -> Vec<Crumb> {
        self.crumbs
            .iter()
            .map(|c| Crumb {
                label: c.label.clone(),
                href: c.href.clone(),
            })
            .collect()
    }
}

/// The school of a path segment, after the permission to read its curation.
async fn school_context(
    state: &AppState,
    session: &Session,
    raw_id: &str,
) -> Result<SchoolContext, WebError> {
    let not_found = || WebError::NotFound(format!("Школа с кодом «{raw_id}» не найдена."));
    let id = SchoolId::parse(raw_id).map_err(|_| not_found())?;
    let place = places::school(&state.store, &id).await?;
    session.require(Action::Read, Resource::Curation, &place)?;
    let card = state.store.school(&id).await?.ok_or_else(not_found)?;
    let crumbs = owner_crumbs(state, &Scope::School(id.clone())).await?;
    Ok(SchoolContext {
        id,
        name: card.name,
        place,
        municipality_id: card.municipality_id,
        crumbs,
    })
}

/// Whether the user coordinates the сопровождение of the school at `place`: a municipal or
/// regional coordinator (Write on Curation at the school's municipality as a whole).
fn coordinates(session: &Session, place: &Place) -> bool {
    let Some(municipality) = place.municipality_id() else {
        return false;
    };
    session.allows(Action::Write, Resource::Curation, place)
        && session.allows(
            Action::Write,
            Resource::Curation,
            &Place::municipality(place.region_id(), municipality),
        )
}

/// Refuses anyone but the school's coordinators, explaining who may.
fn require_coordinator(session: &Session, school: &SchoolContext) -> Result<(), WebError> {
    session.require(Action::Write, Resource::Curation, &school.place)?;
    if coordinates(session, &school.place) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Недостаточно прав: назначать кураторов и заключать соглашения могут муниципальные и \
             региональные координаторы."
                .to_owned(),
        ))
    }
}

/// The session user's own curator record at the school, when they are its curator and may write.
fn own_curator<'a>(
    session: &Session,
    place: &Place,
    curators: &'a [CuratorRow],
) -> Option<&'a CuratorRow> {
    if !session.allows(Action::Write, Resource::Curation, place) {
        return None;
    }
    curators
        .iter()
        .find(|c| c.user_id == Some(session.user_id()))
}

/// A date as a date field sends it (ГГГГ-ММ-ДД) or as people type it (ДД.ММ.ГГГГ); the error
/// names the field (`what`, in the nominative: «Дата посещения»).
fn parse_date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(format!("Укажите поле «{what}»."));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d.%m.%Y"))
        .map_err(|_| {
            format!(
                "{what}: «{raw}» — не дата. Введите дату в виде ДД.ММ.ГГГГ, например 15.10.2024."
            )
        })
}

/// A form's error: the message and the field it is about (for `aria-invalid`).
struct FormError {
    field: &'static str,
    message: String,
}

impl FormError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

// ---- The school card's sections ----

pub struct CuratorLine {
    pub name: String,
    pub login: String,
}

pub struct AgreementLine {
    pub number: String,
    pub signed_on: String,
    pub term: String,
    /// «Школа-наставник» or «Поддерживаемая школа», from this school's side.
    pub partner_role: &'static str,
    pub partner_name: String,
    pub partner_href: String,
    pub plan_href: Option<String>,
}

pub struct VisitLine {
    pub planned_on: String,
    pub curator: String,
    pub purpose: String,
    pub visited_on: Option<String>,
    pub notes: String,
    /// The form that records the visit, when this user may.
    pub record_href: Option<String>,
}

/// «Сопровождение» on the school card, with the links this user may follow.
pub struct CurationView {
    pub curators: Vec<CuratorLine>,
    pub agreements: Vec<AgreementLine>,
    pub visits: Vec<VisitLine>,
    pub manage_curators_href: Option<String>,
    pub new_agreement_href: Option<String>,
    pub new_visit_href: Option<String>,
}

/// One line of the school's «История».
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub change: String,
}

/// The «Сопровождение» section of a school's card, or `None` when the user may not read it.
pub async fn card_section(
    state: &AppState,
    session: &Session,
    id: &SchoolId,
    place: &Place,
) -> Result<Option<CurationView>, WebError> {
    if !session.allows(Action::Read, Resource::Curation, place) {
        return Ok(None);
    }
    let store = &state.store;
    let coordinator = coordinates(session, place);
    let curators = store.curators_of(id).await?;
    let own = own_curator(session, place, &curators).map(|c| c.person_id);
    let agreements = store.agreements_of(id).await?;
    let visits = store.visits_of(id).await?;
    let may_plan = coordinator || own.is_some();
    Ok(Some(CurationView {
        curators: curators
            .iter()
            .map(|c| CuratorLine {
                name: c.full_name.clone(),
                login: c.login.clone().unwrap_or_default(),
            })
            .collect(),
        agreements: agreements
            .into_iter()
            .map(|a| {
                let supported = a.school_id == id.as_str();
                let (partner_role, partner_id, partner_name) = if supported {
                    ("Школа-наставник", a.mentor_school_id, a.mentor_school_name)
                } else {
                    ("Поддерживаемая школа", a.school_id, a.school_name)
                };
                AgreementLine {
                    number: a.number,
                    signed_on: format_date_short(a.signed_on),
                    term: format!(
                        "с {} по {}",
                        format_date_short(a.valid_from),
                        format_date_short(a.valid_to)
                    ),
                    partner_role,
                    partner_href: format!("/schools/{partner_id}"),
                    partner_name,
                    plan_href: a.road_map_id.map(|r| format!("/road-maps/{r}")),
                }
            })
            .collect(),
        visits: visits
            .into_iter()
            .map(|v| {
                let may_record = coordinator || own == Some(v.curator_person_id);
                VisitLine {
                    planned_on: format_date_short(v.planned_on),
                    curator: v.curator_name,
                    purpose: v.purpose,
                    visited_on: v.visited_on.map(format_date_short),
                    notes: v.notes,
                    record_href: may_record.then(|| format!("/visits/{}", v.id)),
                }
            })
            .collect(),
        manage_curators_href: coordinator.then(|| format!("/schools/{id}/curators")),
        new_agreement_href: coordinator.then(|| format!("/schools/{id}/agreements/new")),
        new_visit_href: (may_plan && !curators.is_empty())
            .then(|| format!("/schools/{id}/visits/new")),
    }))
}

/// The school's «История» (its audit records, newest first), or `None` when the user may not
/// read it.
pub async fn history_section(
    state: &AppState,
    session: &Session,
    id: &SchoolId,
    place: &Place,
) -> Result<Option<Vec<AuditLine>>, WebError> {
    if !session.allows(Action::Read, Resource::Audit, place) {
        return Ok(None);
    }
    let entries = state.store.history("school", id.as_str()).await?;
    let needs_names = entries.iter().any(|e| e.action == "curator");
    let users = if needs_names {
        state.store.users().await?
    } else {
        Vec::new()
    };
    let name_of = |user_id: i64| {
        users
            .iter()
            .find(|u| u.id == user_id)
            .map(|u| format!("{} ({})", u.full_name, u.login))
            .unwrap_or_else(|| format!("пользователь № {user_id}"))
    };
    Ok(Some(
        entries
            .iter()
            .map(|entry| AuditLine {
                at: entry.at.format("%d.%m.%Y %H:%M").to_string(),
                actor: entry.actor.clone(),
                change: describe(entry, &name_of),
            })
            .collect(),
    ))
}

fn parse_json(raw: Option<&str>) -> serde_json::Value {
    raw.and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// A JSON string field, or "".
fn field(value: &serde_json::Value, key: &str) -> String {
    value
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// A JSON ISO date field as ДД.ММ.ГГГГ.
fn date_field(value: &serde_json::Value, key: &str) -> String {
    let raw = field(value, key);
    NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
        .map(format_date_short)
        .unwrap_or(raw)
}

/// «Иванова И.И. (curator-a)», from a record's `full_name` and `login`, else by its user id.
fn person(value: &serde_json::Value, name_of: &dyn Fn(i64) -> String) -> String {
    let full_name = field(value, "full_name");
    if full_name.is_empty() {
        value
            .get("curator_user")
            .and_then(|v| v.as_i64())
            .map(name_of)
            .unwrap_or_default()
    } else {
        format!("{full_name} ({})", field(value, "login"))
    }
}

/// A school's audit record in words.
fn describe(entry: &AuditEntry, name_of: &dyn Fn(i64) -> String) -> String {
    let before = parse_json(entry.before_json.as_deref());
    let after = parse_json(entry.after_json.as_deref());
    match entry.action.as_str() {
        "curator" => format!("Назначен куратор: {}.", person(&after, name_of)),
        "curator_removed" => format!("Снят куратор: {}.", person(&before, name_of)),
        "agreement" => format!(
            "Заключено соглашение № {} о наставничестве: поддерживаемая школа — {}, \
             школа-наставник — {}; срок действия с {} по {}.",
            field(&after, "number"),
            field(&after, "school_name"),
            field(&after, "mentor_school_name"),
            date_field(&after, "valid_from"),
            date_field(&after, "valid_to"),
        ),
        "visit_planned" => format!(
            "Запланировано посещение на {}: {}. Куратор: {}.",
            date_field(&after, "planned_on"),
            field(&after, "purpose"),
            person(&after, name_of),
        ),
        "visit_done" => {
            let previous = date_field(&before, "visited_on");
            let notes = field(&after, "notes");
            format!(
                "Посещение (план на {}) отмечено проведённым {}{}{}",
                date_field(&before, "planned_on"),
                date_field(&after, "visited_on"),
                if previous.is_empty() {
                    String::new()
                } else {
                    format!(" (ранее записано: {previous})")
                },
                if notes.is_empty() {
                    ".".to_owned()
                } else {
                    format!(". Итоги: {notes}")
                },
            )
        }
        other => match (&entry.before_json, &entry.after_json) {
            (Some(b), Some(a)) => format!("{other}: {b} → {a}"),
            (None, Some(a)) => format!("{other}: {a}"),
            (Some(b), None) => format!("{other}: {b}"),
            (None, None) => other.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_fields_send_them_and_as_people_type_them() {
        let expected = NaiveDate::from_ymd_opt(2024, 10, 15);
        assert_eq!(parse_date("2024-10-15", "Дата").ok(), expected);
        assert_eq!(parse_date(" 15.10.2024 ", "Дата").ok(), expected);
        assert_eq!(
            parse_date("", "Дата посещения"),
            Err("Укажите поле «Дата посещения».".to_owned())
        );
        assert!(
            parse_date("31.02.2024", "Дата")
                .err()
                .is_some_and(|e| e.contains("«31.02.2024» — не дата"))
        );
    }
}
