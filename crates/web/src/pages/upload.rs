//! Загрузка дорожной карты: a document (text, HTML, DOCX) is uploaded, shown as it was understood
//! (with what could not be placed), and stored only when the user confirms. Works without
//! JavaScript: the preview carries the parsed road map in a hidden field to the save step.

use askama::Template;
use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::registry::Scope;
use orientir_domain::roadmap::{RoadMap, Warning};
use serde::Deserialize;

use super::road_map::{Crumb, DocumentView, owner_crumbs};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::query::bad_query;
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

#[derive(Debug, Deserialize)]
pub struct OwnerQuery {
    owner: Option<String>,
}

#[derive(Template)]
#[template(path = "road_map_upload.html")]
struct UploadPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    owner: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "road_map_preview.html")]
struct PreviewPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    owner: String,
    file_name: String,
    warnings: Vec<Warning>,
    json: String,
    meta: Option<String>,
    doc: DocumentView,
    downloads: Option<(String, String)>,
}

fn parse_owner(raw: Option<&str>) -> Result<Scope, WebError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    Scope::parse(raw).map_err(|_| {
        WebError::BadRequest(format!(
            "Не указан владелец дорожной карты (owner = «{raw}»): ожидается region:ID, \
             municipality:ID или school:КОД."
        ))
    })
}

/// The owner's breadcrumbs, or 404 when the owner does not exist; 403 when the user may not
/// write the owner's road maps.
async fn owner_path(
    state: &AppState,
    session: &Session,
    owner: &Scope,
) -> Result<Vec<Crumb>, WebError> {
    let place = places::owner(&state.store, owner).await?;
    session.require(Action::Write, Resource::RoadMap, &place)?;
    let crumbs = owner_crumbs(state, owner).await?;
    if crumbs.is_empty() {
        return Err(WebError::NotFound(
            "Владелец дорожной карты не найден.".to_owned(),
        ));
    }
    Ok(crumbs)
}

fn owner_code(owner: &Scope) -> String {
    owner.code()
}

/// The upload form.
pub async fn form(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<OwnerQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(query) = query.map_err(bad_query)?;
    let owner = parse_owner(query.owner.as_deref())?;
    let page = UploadPage {
        session: session.view(),
        crumbs: owner_path(&state, &session, &owner).await?,
        owner: owner_code(&owner),
        error: None,
    };
    Ok(Html(page.render()?))
}

/// Reads the upload, imports it and shows the preview; a document that cannot be read returns the
/// form with the reason (422), nothing stored.
pub async fn preview(
    State(state): State<AppState>,
    Auth(session): Auth,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut owner_raw = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| WebError::BadRequest(format!("Форма не прочитана: {e}.")))?
    {
        match field.name() {
            Some("owner") => {
                owner_raw =
                    Some(field.text().await.map_err(|e| {
                        WebError::BadRequest(format!("Поле owner не прочитано: {e}."))
                    })?)
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("документ").to_owned();
                let bytes = field.bytes().await.map_err(|e| {
                    WebError::BadRequest(format!(
                        "Файл не получен (не больше {} МБ): {e}.",
                        crate::limits::ROAD_MAP_FILE_BYTES / 1024 / 1024
                    ))
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let owner = parse_owner(owner_raw.as_deref())?;
    let crumbs = owner_path(&state, &session, &owner).await?;
    let refuse = |crumbs, error: String| -> Result<Response, PageError> {
        let page = UploadPage {
            session: session.view(),
            crumbs,
            owner: owner_code(&owner),
            error: Some(error),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let Some((file_name, bytes)) = file.filter(|(name, _)| !name.is_empty()) else {
        return refuse(crumbs, "Выберите файл документа.".to_owned());
    };
    let extension = std::path::Path::new(&file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let parsed = crate::heavy::run(move || {
        orientir_ingest::roadmap::import_bytes(&bytes, extension.as_deref())
    })
    .await?;
    let (map, report) = match parsed {
        Ok(imported) => imported,
        Err(reason) => return refuse(crumbs, format!("Файл «{file_name}»: {reason}.")),
    };
    let json = serde_json::to_string(&map)
        .map_err(|e| WebError::BadRequest(format!("Дорожная карта не записана: {e}.")))?;
    let page = PreviewPage {
        session: session.view(),
        crumbs,
        owner: owner_code(&owner),
        warnings: report.warnings,
        json,
        meta: Some(format!(
            "Предпросмотр файла «{file_name}»: проверьте разделы и мероприятия и сохраните."
        )),
        file_name,
        doc: DocumentView::new(&map),
        downloads: None,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    owner: String,
    file_name: String,
    road_map: String,
}

/// Stores the previewed road map as version 1 (a draft) and opens it.
pub async fn save(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    let owner = parse_owner(Some(&form.owner))?;
    let place = places::owner(&state.store, &owner).await?;
    session.require(Action::Write, Resource::RoadMap, &place)?;
    let map: RoadMap = serde_json::from_str(&form.road_map).map_err(|e| {
        WebError::BadRequest(format!(
            "Данные предпросмотра повреждены ({e}); загрузите файл ещё раз."
        ))
    })?;
    let file_name = Some(form.file_name.trim()).filter(|n| !n.is_empty());
    let saved = session
        .store(&state.store)
        .save_road_map(&owner, &map, file_name)
        .await?;
    Ok(Redirect::to(&format!("/road-maps/{}", saved.id)).into_response())
}
