//! Кураторы школы: the list with a «Снять» button each, and the form that assigns one of the
//! accounts holding the curator role in the school's municipality or region.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{CuratorLine, SchoolContext, require_coordinator, school_context};
use crate::auth::{Auth, Session, SessionView};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::pages::road_map::Crumb;
use crate::view::SelectOption;
use crate::{AppState, WebError};

struct AssignedLine {
    line: CuratorLine,
    /// `/schools/…/curators/{user}/remove`, for an account.
    remove_action: Option<String>,
}

#[derive(Template)]
#[template(path = "curation_curators.html")]
struct CuratorsPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    school_name: String,
    card_href: String,
    action: String,
    assigned: Vec<AssignedLine>,
    candidates: Vec<SelectOption>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    session: &Session,
    school: SchoolContext,
    chosen: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let curators = state.store.curators_of(&school.id).await?;
    let candidates = state
        .store
        .curator_candidates(school.municipality_id)
        .await?
        .into_iter()
        .filter(|c| !curators.iter().any(|a| a.user_id == Some(c.user_id)))
        .map(|c| {
            let value = c.user_id.to_string();
            let selected = value == chosen;
            SelectOption::new(value, format!("{} ({})", c.full_name, c.login), selected)
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CuratorsPage {
        session: session.view(),
        crumbs: school.crumbs(),
        school_name: school.name.clone(),
        card_href: school.card_href(),
        action: format!("/schools/{}/curators", school.id),
        assigned: curators
            .into_iter()
            .map(|c| AssignedLine {
                remove_action: c
                    .user_id
                    .map(|u| format!("/schools/{}/curators/{u}/remove", school.id)),
                line: CuratorLine {
                    name: c.full_name,
                    login: c.login.unwrap_or_default(),
                },
            })
            .collect(),
        candidates,
        error,
    };
    Ok((status, axum::response::Html(page.render()?)).into_response())
}

pub async fn curators_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    require_coordinator(&session, &school)?;
    Ok(render(&state, &session, school, "", None).await?)
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    user: String,
}

/// Assigns a curator chosen among the candidates; anything else re-renders the form (422).
pub async fn assign(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    require_coordinator(&session, &school)?;
    let chosen = form.user.trim();
    if chosen.is_empty() {
        let message = "Выберите куратора из списка.".to_owned();
        return Ok(render(&state, &session, school, chosen, Some(message)).await?);
    }
    let candidates = state
        .store
        .curator_candidates(school.municipality_id)
        .await?;
    let Some(candidate) = chosen
        .parse::<i64>()
        .ok()
        .and_then(|id| candidates.into_iter().find(|c| c.user_id == id))
    else {
        let message = "Этого пользователя нельзя назначить куратором школы: в списке только \
                       пользователи с ролью «Куратор» в муниципалитете школы или во всём регионе."
            .to_owned();
        return Ok(render(&state, &session, school, chosen, Some(message)).await?);
    };
    session
        .store(&state.store)
        .assign_curator(candidate.user_id, &school.id)
        .await?;
    Ok(Redirect::to(&format!("{}#curation", school.card_href())).into_response())
}

/// Removes a curator from the school (audited); removing one who is not assigned is a 404.
pub async fn unassign(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((raw_id, user_id)): PagePath<(String, i64)>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    require_coordinator(&session, &school)?;
    let removed = match session
        .store(&state.store)
        .unassign_curator(user_id, &school.id)
        .await
    {
        Ok(removed) => removed,
        Err(orientir_store::StoreError::Conflict(_)) => false,
        Err(other) => return Err(WebError::from(other).into()),
    };
    if !removed {
        return Err(WebError::NotFound(format!(
            "Пользователь № {user_id} не назначен куратором школы «{}».",
            school.name
        ))
        .into());
    }
    Ok(Redirect::to(&format!("{}#curation", school.card_href())).into_response())
}
