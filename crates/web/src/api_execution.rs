//! The execution API under `/api/v1`: the same operations as the pages (read a road map's
//! execution, move a status, comment, attach a link) through the same permission check and the
//! same functions, with a session cookie (plus the `X-CSRF-Token` header for writes) or a
//! personal API token (`Authorization: Bearer`).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{NaiveDate, Utc};
use orientir_domain::access::{Action, Resource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorDto;
use crate::auth::{Auth, places};
use crate::error::ApiError;
use crate::pages::execution::{self, model};

/// One activity occurrence of a road map.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceDto {
    pub activity_key: i64,
    /// "" for a one-off activity, else the ISO date of the occurrence.
    pub occurrence: String,
    pub number: String,
    pub title: String,
    pub period: String,
    pub due: Option<NaiveDate>,
    /// planned, in_progress, done, accepted, returned
    pub status: String,
    pub status_label: String,
    /// Derived from the due date and the status, never stored.
    pub overdue: bool,
    pub evidence: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ExecutionDto {
    pub road_map_id: i64,
    pub title: String,
    pub occurrences: Vec<OccurrenceDto>,
}

#[derive(Deserialize, ToSchema)]
pub struct StatusRequest {
    #[serde(default)]
    pub occurrence: String,
    /// in_progress, done, accepted, returned, planned
    pub status: String,
    /// Required to return an activity.
    #[serde(default)]
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatusDto {
    pub status: String,
    pub status_label: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CommentRequest {
    #[serde(default)]
    pub occurrence: String,
    pub body: String,
}

#[derive(Deserialize, ToSchema)]
pub struct LinkRequest {
    #[serde(default)]
    pub occurrence: String,
    /// https:// or http:// address of the document.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: i64,
}

/// The execution of a road map: every activity occurrence with its status.
#[utoipa::path(get, path = "/api/v1/road-maps/{id}/execution", tag = "execution",
    params(("id" = i64, Path, description = "Номер дорожной карты")),
    security(("session" = []), ("token" = [])),
    responses((status = 200, description = "Исполнение", body = ExecutionDto),
              (status = 401, description = "Нужен вход", body = ErrorDto),
              (status = 403, description = "Недостаточно прав", body = ErrorDto),
              (status = 404, description = "Не найдено", body = ErrorDto)))]
pub async fn get_execution(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Json<ExecutionDto>, ApiError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::Progress, &place)?;
    let execution = model::load(&state.store, id, Utc::now().date_naive()).await?;
    Ok(Json(ExecutionDto {
        road_map_id: id,
        title: execution.road_map.map.title.clone(),
        occurrences: execution
            .occurrences
            .into_iter()
            .map(|o| OccurrenceDto {
                activity_key: o.key.activity_key,
                occurrence: o.key.occurrence,
                number: o.number,
                title: o.title,
                period: o.period_text,
                due: o.due,
                status: o.status.code().to_owned(),
                status_label: o.status.label().to_owned(),
                overdue: o.overdue,
                evidence: o.evidence,
            })
            .collect(),
    }))
}

/// Moves an activity occurrence's status (executor: in_progress/done; reviewer: accepted/returned).
#[utoipa::path(post, path = "/api/v1/road-maps/{id}/activities/{key}/status", tag = "execution",
    params(("id" = i64, Path, description = "Номер дорожной карты"),
           ("key" = i64, Path, description = "Ключ мероприятия")),
    request_body = StatusRequest,
    security(("session" = []), ("token" = [])),
    responses((status = 200, description = "Статус изменён", body = StatusDto),
              (status = 400, description = "Переход не разрешён", body = ErrorDto),
              (status = 401, description = "Нужен вход", body = ErrorDto),
              (status = 403, description = "Недостаточно прав", body = ErrorDto)))]
pub async fn post_status(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, key)): Path<(i64, i64)>,
    Json(request): Json<StatusRequest>,
) -> Result<Json<StatusDto>, ApiError> {
    let status = execution::change_status(
        &state,
        &session,
        id,
        key,
        &request.occurrence,
        &request.status,
        &request.comment,
    )
    .await?;
    Ok(Json(StatusDto {
        status: status.code().to_owned(),
        status_label: status.label().to_owned(),
    }))
}

/// Adds a comment to an activity occurrence's thread.
#[utoipa::path(post, path = "/api/v1/road-maps/{id}/activities/{key}/comments", tag = "execution",
    params(("id" = i64, Path, description = "Номер дорожной карты"),
           ("key" = i64, Path, description = "Ключ мероприятия")),
    request_body = CommentRequest,
    security(("session" = []), ("token" = [])),
    responses((status = 200, description = "Комментарий добавлен"),
              (status = 400, description = "Пустой или слишком длинный", body = ErrorDto),
              (status = 403, description = "Недостаточно прав", body = ErrorDto)))]
pub async fn post_comment(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, key)): Path<(i64, i64)>,
    Json(request): Json<CommentRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    execution::add_comment(
        &state,
        &session,
        id,
        key,
        &request.occurrence,
        &request.body,
    )
    .await?;
    Ok(Json(serde_json::json!({"ok": true})))
}

/// Attaches a link to a document as evidence (files are uploaded through the page's form).
#[utoipa::path(post, path = "/api/v1/road-maps/{id}/activities/{key}/evidence", tag = "execution",
    params(("id" = i64, Path, description = "Номер дорожной карты"),
           ("key" = i64, Path, description = "Ключ мероприятия")),
    request_body = LinkRequest,
    security(("session" = []), ("token" = [])),
    responses((status = 200, description = "Ссылка приложена", body = CreatedDto),
              (status = 400, description = "Неверная ссылка", body = ErrorDto),
              (status = 403, description = "Недостаточно прав", body = ErrorDto)))]
pub async fn post_evidence_link(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, key)): Path<(i64, i64)>,
    Json(request): Json<LinkRequest>,
) -> Result<Json<CreatedDto>, ApiError> {
    let id = execution::attach_link(&state, &session, id, key, &request.occurrence, &request.url)
        .await?;
    Ok(Json(CreatedDto { id }))
}
