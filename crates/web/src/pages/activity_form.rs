//! Editing a road map's activities through forms: change, add, delete, move up or down, and
//! approve the version. Every change goes to the latest version; an approved version is frozen,
//! so the store copies it into a new draft first. Works without JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::period::{PeriodContext, parse_period};
use orientir_domain::roadmap::Activity;
use orientir_store::{ActivityEdit, StoreError, StoredRoadMap};
use serde::Deserialize;

use super::road_map::{Crumb, owner_crumbs};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

const MAX_TITLE_CHARS: usize = 2000;
const MAX_NUMBER_CHARS: usize = 20;

/// The fields of the activity form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ActivityFields {
    #[serde(default)]
    number: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    output: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    publicity: String,
    #[serde(default)]
    external_help: String,
}

impl ActivityFields {
    fn from_activity(activity: &Activity) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            number: text(&activity.number),
            title: activity.title.clone(),
            period: activity
                .period
                .as_ref()
                .map(|p| p.text.clone())
                .unwrap_or_default(),
            responsible: activity.responsible.join("\n"),
            output: text(&activity.output),
            indicator: text(&activity.indicator),
            publicity: text(&activity.publicity),
            external_help: text(&activity.external_help),
        }
    }

    /// Checks the form; the period is read in the context of the road map's own period.
    fn to_activity(
        &self,
        context: &PeriodContext,
    ) -> Result<Activity, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(("title", "Укажите, что нужно сделать.".to_owned()));
        } else if title.chars().count() > MAX_TITLE_CHARS {
            errors.push((
                "title",
                format!("Название длиннее {MAX_TITLE_CHARS} знаков; сократите его."),
            ));
        }
        let number = self.number.trim();
        if number.chars().count() > MAX_NUMBER_CHARS {
            errors.push((
                "number",
                format!("Номер длиннее {MAX_NUMBER_CHARS} знаков."),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let optional = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_owned);
        Ok(Activity {
            number: optional(number),
            title: title.to_owned(),
            period: optional(&self.period).map(|text| parse_period(&text, context)),
            responsible: self
                .responsible
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            output: optional(&self.output),
            indicator: optional(&self.indicator),
            publicity: optional(&self.publicity),
            external_help: optional(&self.external_help),
        })
    }
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct ActivityFormPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    road_map_href: String,
    heading: String,
    action: String,
    section_title: String,
    fields: ActivityFields,
    errors: Vec<(&'static str, String)>,
    frozen: bool,
}

impl ActivityFormPage {
    /// The message for a field, for `aria-describedby` and display.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }
}

/// The latest version of a road map the user may change.
async fn latest(state: &AppState, session: &Session, id: i64) -> Result<StoredRoadMap, WebError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Write, Resource::RoadMap, &place)?;
    state
        .store
        .road_map(id, None)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Дорожная карта с номером {id} не найдена.")))
}

fn not_found() -> WebError {
    WebError::NotFound("Такого мероприятия в дорожной карте нет.".to_owned())
}

fn context(stored: &StoredRoadMap) -> PeriodContext {
    PeriodContext {
        document: stored.map.period,
        ..PeriodContext::default()
    }
}

async fn form_page(
    state: &AppState,
    session: &Session,
    stored: &StoredRoadMap,
    section: usize,
    index: Option<usize>,
    fields: ActivityFields,
    errors: Vec<(&'static str, String)>,
) -> Result<Html<String>, WebError> {
    let section_title = stored
        .map
        .sections
        .get(section)
        .map(|s| s.title.clone())
        .ok_or_else(not_found)?;
    let id = stored.id;
    let (heading, action) = match index {
        Some(i) => (
            "Изменение мероприятия".to_owned(),
            format!("/road-maps/{id}/sections/{section}/activities/{i}"),
        ),
        None => (
            "Новое мероприятие".to_owned(),
            format!("/road-maps/{id}/sections/{section}/activities"),
        ),
    };
    let mut crumbs = owner_crumbs(state, &stored.owner).await?;
    crumbs.push(Crumb {
        label: "Дорожная карта".to_owned(),
        href: format!("/road-maps/{id}"),
    });
    let page = ActivityFormPage {
        session: session.view(),
        crumbs,
        road_map_href: format!("/road-maps/{id}"),
        heading,
        action,
        section_title,
        fields,
        errors,
        frozen: stored.state == orientir_store::VersionState::Approved,
    };
    Ok(Html(page.render()?))
}

pub async fn edit_form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section, index)): PagePath<(i64, usize, usize)>,
) -> Result<Html<String>, PageError> {
    let stored = latest(&state, &session, id).await?;
    let activity = stored
        .map
        .sections
        .get(section)
        .and_then(|s| s.activities.get(index))
        .ok_or_else(not_found)?;
    let fields = ActivityFields::from_activity(activity);
    Ok(form_page(
        &state,
        &session,
        &stored,
        section,
        Some(index),
        fields,
        Vec::new(),
    )
    .await?)
}

pub async fn new_form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section)): PagePath<(i64, usize)>,
) -> Result<Html<String>, PageError> {
    let stored = latest(&state, &session, id).await?;
    let next_number = stored
        .map
        .activities()
        .filter_map(|a| a.number.as_deref()?.trim().parse::<u32>().ok())
        .max()
        .map(|n| (n + 1).to_string())
        .unwrap_or_default();
    let fields = ActivityFields {
        number: next_number,
        ..ActivityFields::default()
    };
    Ok(form_page(&state, &session, &stored, section, None, fields, Vec::new()).await?)
}

/// Applies an edit and returns to the road map at the changed row.
async fn apply(
    state: &AppState,
    session: &Session,
    id: i64,
    edit: ActivityEdit,
    anchor: String,
) -> Result<Response, WebError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Write, Resource::RoadMap, &place)?;
    match session.store(&state.store).edit_road_map(id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/road-maps/{id}#{anchor}")).into_response()),
        Err(StoreError::NoSuchActivity { .. } | StoreError::NoSuchSection(_)) => Err(not_found()),
        Err(StoreError::NoSuchRoadMap(_)) => Err(WebError::NotFound(format!(
            "Дорожная карта с номером {id} не найдена."
        ))),
        Err(other) => Err(other.into()),
    }
}

async fn save(
    state: &AppState,
    session: &Session,
    id: i64,
    section: usize,
    index: Option<usize>,
    fields: ActivityFields,
) -> Result<Response, WebError> {
    let stored = latest(state, session, id).await?;
    let activity = match fields.to_activity(&context(&stored)) {
        Ok(activity) => activity,
        Err(errors) => {
            let page = form_page(state, session, &stored, section, index, fields, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match index {
        Some(index) => {
            let edit = ActivityEdit::Update {
                section,
                index,
                activity,
            };
            apply(
                state,
                session,
                id,
                edit,
                format!("activity-{section}-{index}"),
            )
            .await
        }
        None => {
            let count = stored
                .map
                .sections
                .get(section)
                .map_or(0, |s| s.activities.len());
            let edit = ActivityEdit::Add { section, activity };
            apply(
                state,
                session,
                id,
                edit,
                format!("activity-{section}-{count}"),
            )
            .await
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section, index)): PagePath<(i64, usize, usize)>,
    Form(fields): Form<ActivityFields>,
) -> Result<Response, PageError> {
    Ok(save(&state, &session, id, section, Some(index), fields).await?)
}

pub async fn add(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section)): PagePath<(i64, usize)>,
    Form(fields): Form<ActivityFields>,
) -> Result<Response, PageError> {
    Ok(save(&state, &session, id, section, None, fields).await?)
}

pub async fn delete(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section, index)): PagePath<(i64, usize, usize)>,
) -> Result<Response, PageError> {
    let edit = ActivityEdit::Delete { section, index };
    Ok(apply(&state, &session, id, edit, "activities".to_owned()).await?)
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    direction: String,
}

pub async fn move_activity(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, section, index)): PagePath<(i64, usize, usize)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, PageError> {
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        other => {
            return Err(WebError::BadRequest(format!(
                "Направление «{other}» не распознано: ожидается up или down."
            ))
            .into());
        }
    };
    let target = if up {
        index.saturating_sub(1)
    } else {
        index + 1
    };
    let edit = ActivityEdit::Move { section, index, up };
    Ok(apply(
        &state,
        &session,
        id,
        edit,
        format!("activity-{section}-{target}"),
    )
    .await?)
}

pub async fn approve(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Approve, Resource::RoadMap, &place)?;
    match session.store(&state.store).approve_road_map(id).await {
        Ok(_) => Ok(Redirect::to(&format!("/road-maps/{id}")).into_response()),
        Err(StoreError::NoSuchRoadMap(_)) => {
            Err(WebError::NotFound(format!("Дорожная карта с номером {id} не найдена.")).into())
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}
