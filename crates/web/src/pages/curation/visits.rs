//! Посещения школы куратором: planning a visit (date, purpose; coordinators choose which of the
//! school's curators goes, a curator plans their own) and recording it as done (date, notes).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use orientir_domain::access::{Action, Resource};
use orientir_domain::text::format_date_short;
use orientir_store::{CuratorRow, StoreError, VisitRow};
use serde::Deserialize;

use super::{FormError, SchoolContext, coordinates, own_curator, parse_date, school_context};
use crate::auth::{Auth, Session, SessionView};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::pages::road_map::Crumb;
use crate::view::SelectOption;
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    curator: String,
}

#[derive(Template)]
#[template(path = "curation_visit.html")]
struct PlanPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    school_name: String,
    card_href: String,
    action: String,
    fields: PlanForm,
    /// The school's curators to choose from (coordinators); empty when a curator plans their own.
    curators: Vec<SelectOption>,
    /// Who goes, when there is no choice.
    own_name: Option<String>,
    error: Option<FormError>,
}

impl PlanPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.field == field)
    }
}

/// Who the user may plan visits for: every curator of the school (coordinators) or themselves.
/// Refuses anyone else.
fn plannable<'a>(
    session: &Session,
    school: &SchoolContext,
    curators: &'a [CuratorRow],
) -> Result<Vec<&'a CuratorRow>, WebError> {
    session.require(Action::Write, Resource::Curation, &school.place)?;
    if coordinates(session, &school.place) {
        let with_accounts: Vec<&CuratorRow> =
            curators.iter().filter(|c| c.user_id.is_some()).collect();
        if with_accounts.is_empty() {
            return Err(WebError::BadRequest(format!(
                "У школы «{}» нет куратора с учётной записью: сначала назначьте куратора.",
                school.name
            )));
        }
        return Ok(with_accounts);
    }
    own_curator(session, &school.place, curators)
        .map(|own| vec![own])
        .ok_or_else(|| {
            WebError::Forbidden(
                "Недостаточно прав: планировать посещения могут куратор школы и координаторы."
                    .to_owned(),
            )
        })
}

async fn render_plan(
    state: &AppState,
    session: &Session,
    school: &SchoolContext,
    fields: PlanForm,
    error: Option<FormError>,
) -> Result<Response, WebError> {
    let curators = state.store.curators_of(&school.id).await?;
    let choices = plannable(session, school, &curators)?;
    let (options, own_name) = if coordinates(session, &school.place) {
        let options = choices
            .iter()
            .filter_map(|c| {
                let user = c.user_id?.to_string();
                let selected = user == fields.curator.trim() || choices.len() == 1;
                Some(SelectOption::new(
                    user,
                    format!("{} ({})", c.full_name, c.login.clone().unwrap_or_default()),
                    selected,
                ))
            })
            .collect();
        (options, None)
    } else {
        (Vec::new(), choices.first().map(|c| c.full_name.clone()))
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = PlanPage {
        session: session.view(),
        crumbs: school.crumbs(),
        school_name: school.name.clone(),
        card_href: school.card_href(),
        action: format!("/schools/{}/visits", school.id),
        fields,
        curators: options,
        own_name,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn visit_form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    Ok(render_plan(&state, &session, &school, PlanForm::default(), None).await?)
}

/// Plans a visit and returns to the school card; bad input re-renders the form (422).
pub async fn plan_visit(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    let curators = state.store.curators_of(&school.id).await?;
    let choices = plannable(&session, &school, &curators)?;
    let curator = if coordinates(&session, &school.place) {
        form.curator
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| choices.iter().any(|c| c.user_id == Some(*id)))
    } else {
        choices.first().and_then(|c| c.user_id)
    };
    let checked = parse_date(&form.planned_on, "Дата посещения")
        .map_err(|message| FormError::new("planned_on", message))
        .and_then(|date| {
            if form.purpose.trim().is_empty() {
                Err(FormError::new("purpose", "Укажите цель посещения."))
            } else {
                Ok(date)
            }
        })
        .and_then(|date| {
            curator.map(|c| (date, c)).ok_or_else(|| {
                FormError::new("curator", "Выберите куратора, который посетит школу.")
            })
        });
    let (planned_on, curator) = match checked {
        Ok(values) => values,
        Err(error) => return Ok(render_plan(&state, &session, &school, form, Some(error)).await?),
    };
    match session
        .store(&state.store)
        .plan_visit(&school.id, curator, planned_on, &form.purpose)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}#visits", school.card_href())).into_response()),
        Err(StoreError::Conflict(message)) => {
            let error = FormError::new("purpose", message);
            Ok(render_plan(&state, &session, &school, form, Some(error)).await?)
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RecordForm {
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    notes: String,
}

#[derive(Template)]
#[template(path = "curation_record.html")]
struct RecordPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    school_name: String,
    card_href: String,
    action: String,
    planned_on: String,
    curator: String,
    purpose: String,
    fields: RecordForm,
    error: Option<FormError>,
}

impl RecordPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.field == field)
    }
}

/// The visit and its school, after the check that the user may record it: a coordinator of the
/// school, or the curator whose visit it is.
async fn recordable(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<(VisitRow, SchoolContext), WebError> {
    let visit = state
        .store
        .visit(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Посещение № {id} не найдено.")))?;
    let school = school_context(state, session, &visit.school_id).await?;
    session.require(Action::Write, Resource::Curation, &school.place)?;
    if !coordinates(session, &school.place) {
        let curators = state.store.curators_of(&school.id).await?;
        let own = own_curator(session, &school.place, &curators).map(|c| c.person_id);
        if own != Some(visit.curator_person_id) {
            return Err(WebError::Forbidden(
                "Недостаточно прав: отметить посещение может куратор, который его проводит, или \
                 координатор."
                    .to_owned(),
            ));
        }
    }
    Ok((visit, school))
}

fn render_record(
    session: &Session,
    visit: &VisitRow,
    school: &SchoolContext,
    fields: RecordForm,
    error: Option<FormError>,
) -> Result<Response, WebError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = RecordPage {
        session: session.view(),
        crumbs: school.crumbs(),
        school_name: school.name.clone(),
        card_href: school.card_href(),
        action: format!("/visits/{}", visit.id),
        planned_on: format_date_short(visit.planned_on),
        curator: visit.curator_name.clone(),
        purpose: visit.purpose.clone(),
        fields,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn record_form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let (visit, school) = recordable(&state, &session, id).await?;
    let fields = RecordForm {
        visited_on: visit
            .visited_on
            .unwrap_or(visit.planned_on)
            .format("%Y-%m-%d")
            .to_string(),
        notes: visit.notes.clone(),
    };
    Ok(render_record(&session, &visit, &school, fields, None)?)
}

/// Records the visit as done; a missing, unreadable or future date re-renders the form (422).
pub async fn record_visit(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
    Form(form): Form<RecordForm>,
) -> Result<Response, PageError> {
    let (visit, school) = recordable(&state, &session, id).await?;
    let today = Utc::now().date_naive();
    let checked = parse_date(&form.visited_on, "Дата посещения").and_then(|date| {
        if date > today {
            Err(format!(
                "Дата посещения {} ещё не наступила: проведённым можно отметить только состоявшееся \
                 посещение.",
                format_date_short(date)
            ))
        } else {
            Ok(date)
        }
    });
    let visited_on = match checked {
        Ok(date) => date,
        Err(message) => {
            let error = FormError::new("visited_on", message);
            return Ok(render_record(&session, &visit, &school, form, Some(error))?);
        }
    };
    match session
        .store(&state.store)
        .record_visit(id, visited_on, &form.notes)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{}#visits", school.card_href())).into_response()),
        Err(StoreError::Conflict(message)) => {
            let error = FormError::new("notes", message);
            Ok(render_record(&session, &visit, &school, form, Some(error))?)
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}
