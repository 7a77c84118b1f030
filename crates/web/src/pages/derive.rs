//! Дорожная карта школы на основе муниципальной: choose the school and the activities; the school's
//! own people become the responsible. The new road map is a draft of the school.

use askama::Template;
use axum::extract::{RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::derive_school_road_map;
use orientir_store::{SchoolFilter, SchoolSort, StoredRoadMap};

use super::road_map::{Crumb, owner_crumbs};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

struct Choice {
    value: String,
    number: String,
    title: String,
}

struct SectionChoice {
    title: String,
    activities: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "road_map_derive.html")]
struct DerivePage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    id: i64,
    title: String,
    schools: Vec<(String, String)>,
    sections: Vec<SectionChoice>,
    error: Option<String>,
}

/// The municipal road map and its municipality, or a clear refusal.
async fn municipal(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<(StoredRoadMap, i64), WebError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::RoadMap, &place)?;
    let stored =
        state.store.road_map(id, None).await?.ok_or_else(|| {
            WebError::NotFound(format!("Дорожная карта с номером {id} не найдена."))
        })?;
    match stored.owner {
        Scope::Municipality(municipality) => Ok((stored, municipality)),
        _ => Err(WebError::BadRequest(
            "Школьную дорожную карту можно создать только на основе муниципальной.".to_owned(),
        )),
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let (stored, municipality) = municipal(state, session, id).await?;
    let municipality_place = places::municipality(&state.store, municipality).await?;
    let schools = state
        .store
        .schools(&SchoolFilter {
            municipality_id: municipality,
            year: None,
            status: None,
            locality: None,
            kind: None,
            sort: SchoolSort::Name,
            descending: false,
        })
        .await?;
    let mut crumbs = owner_crumbs(state, &stored.owner).await?;
    crumbs.push(Crumb {
        label: "Дорожная карта".to_owned(),
        href: format!("/road-maps/{id}"),
    });
    let page = DerivePage {
        session: session.view(),
        crumbs,
        id,
        title: stored.map.title.clone(),
        schools: schools
            .into_iter()
            .filter(|s| {
                let place = orientir_domain::access::Place::school(
                    municipality_place.region_id(),
                    municipality,
                    s.id.clone(),
                );
                session.allows(Action::Write, Resource::RoadMap, &place)
            })
            .map(|s| (s.id.to_string(), s.name))
            .collect(),
        sections: stored
            .map
            .sections
            .iter()
            .enumerate()
            .map(|(s, section)| SectionChoice {
                title: section.title.clone(),
                activities: section
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(a, activity)| Choice {
                        value: format!("{s}-{a}"),
                        number: activity.number.clone().unwrap_or_default(),
                        title: activity.title.clone(),
                    })
                    .collect(),
            })
            .collect(),
        error,
    };
    Ok(Html(page.render()?))
}

pub async fn form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(page(&state, &session, id, None).await?)
}

/// Creates the school's road map from the chosen activities. The form repeats `pick`, so it is
/// read as raw pairs rather than into a struct.
pub async fn create(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
    RawForm(body): RawForm,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| WebError::BadRequest(format!("Форма не прочитана: {e}.")))?;
    let school = pairs
        .iter()
        .find(|(k, _)| k == "school")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let picks: Vec<(usize, usize)> = pairs
        .iter()
        .filter(|(k, _)| k == "pick")
        .filter_map(|(_, v)| {
            let (s, a) = v.split_once('-')?;
            Some((s.parse().ok()?, a.parse().ok()?))
        })
        .collect();
    let refuse = |message: &str| {
        let message = message.to_owned();
        let state = state.clone();
        let session = session.clone();
        async move {
            let html = page(&state, &session, id, Some(message)).await?;
            Ok::<_, WebError>((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    };
    let Ok(school_id) = SchoolId::parse(&school) else {
        return Ok(refuse("Выберите школу.").await?);
    };
    if picks.is_empty() {
        return Ok(refuse("Отметьте хотя бы одно мероприятие.").await?);
    }
    let (stored, municipality) = municipal(&state, &session, id).await?;
    let school_place = places::school(&state.store, &school_id).await?;
    session.require(Action::Write, Resource::RoadMap, &school_place)?;
    let card = state
        .store
        .school(&school_id)
        .await?
        .filter(|s| s.municipality_id == municipality)
        .ok_or_else(|| WebError::BadRequest("Школа не из этого муниципалитета.".to_owned()))?;
    let people: Vec<String> = state
        .store
        .people_at_school(&school_id)
        .await?
        .into_iter()
        .filter(|p| p.role == Role::SchoolLead)
        .map(|p| p.full_name)
        .collect();
    let map = derive_school_road_map(&stored.map, &card.name, &picks, &people);
    let saved = session
        .store(&state.store)
        .save_road_map(&Scope::School(school_id), &map, None)
        .await?;
    Ok(Redirect::to(&format!("/road-maps/{}", saved.id)).into_response())
}
