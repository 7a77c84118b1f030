//! The JSON API under `/api/v1`. Routes are registered with `utoipa_axum::routes!`, so the route
//! table and the OpenAPI document at `/api/openapi.json` cannot drift apart.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use orientir_domain::registry::{
    Locality, SchoolId, SocialContext, StatusDecision, StatusKind, StatusSource,
};
use orientir_store::{MunicipalitySummary, SchoolRow, StatusEntry};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, places};
use crate::error::ApiError;
use crate::query::{SchoolListQuery, YearQuery, bad_query, resolve_year};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Place, Resource};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ориентир API",
        description = "Реестр адресной поддержки школ: регионы, муниципалитеты, школы и их статусы \
                       (ШНОР, ШНСУ, зона риска, школа-наставник) по учебным годам; исполнение \
                       дорожных карт. Доступ: cookie сеанса (для изменений — заголовок \
                       X-CSRF-Token) или личный токен (Authorization: Bearer, выдаётся командой \
                       orientir user token). Права те же, что на страницах.",
        version = "1"
    ),
    modifiers(&Security),
    tags((name = "registry", description = "Реестр школ и статусов"),
         (name = "execution", description = "Исполнение дорожных карт"),
         (name = "service", description = "Служебные методы"))
)]
struct ApiDoc;

/// The two ways to authenticate: the session cookie and a personal API token.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_regions))
        .routes(routes!(get_region))
        .routes(routes!(list_years))
        .routes(routes!(list_schools))
        .routes(routes!(get_school))
        .routes(routes!(health))
        .routes(routes!(crate::api_execution::get_execution))
        .routes(routes!(crate::api_execution::post_status))
        .routes(routes!(crate::api_execution::post_comment))
        .routes(routes!(crate::api_execution::post_evidence_link))
}

/// The OpenAPI document as pretty JSON (what `/api/openapi.json` serves).
pub fn openapi_document() -> String {
    router()
        .split_for_parts()
        .1
        .to_pretty_json()
        .unwrap_or_default()
}

/// An error: what went wrong, in Russian.
#[derive(Serialize, ToSchema)]
pub struct ErrorDto {
    pub error: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegionDto {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    LowResults,
    SocialRisk,
    Declining,
    Mentor,
}

impl From<StatusKind> for StatusDto {
    fn from(s: StatusKind) -> Self {
        match s {
            StatusKind::LowResults => Self::LowResults,
            StatusKind::SocialRisk => Self::SocialRisk,
            StatusKind::Declining => Self::Declining,
            StatusKind::Mentor => Self::Mentor,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocalityDto {
    City,
    Village,
}

impl From<Locality> for LocalityDto {
    fn from(l: Locality) -> Self {
        match l {
            Locality::City => Self::City,
            Locality::Village => Self::Village,
        }
    }
}

/// Number of schools with each status in force.
#[derive(Serialize, ToSchema)]
pub struct StatusCountsDto {
    pub low_results: i64,
    pub social_risk: i64,
    pub declining: i64,
    pub mentor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalitySummaryDto {
    pub id: i64,
    pub name: String,
    pub schools: i64,
    pub statuses: StatusCountsDto,
}

impl From<MunicipalitySummary> for MunicipalitySummaryDto {
    fn from(m: MunicipalitySummary) -> Self {
        Self {
            id: m.id,
            name: m.name,
            schools: m.schools,
            statuses: StatusCountsDto {
                low_results: m.low_results,
                social_risk: m.social_risk,
                declining: m.declining,
                mentor: m.mentor,
            },
        }
    }
}

/// A region with its municipalities and status counts in one school year.
#[derive(Serialize, ToSchema)]
pub struct RegionOverviewDto {
    pub id: i64,
    pub name: String,
    /// The school year by the year it starts (2024 is 2024/2025); null when no statuses exist.
    pub school_year: Option<i32>,
    pub municipalities: Vec<MunicipalitySummaryDto>,
}

/// A school year: 2024 is 2024/2025.
#[derive(Serialize, ToSchema)]
pub struct YearDto {
    pub school_year: i32,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalityRefDto {
    pub id: i64,
    pub name: String,
    pub region: RegionDto,
}

#[derive(Serialize, ToSchema)]
pub struct SchoolSummaryDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub locality: LocalityDto,
    pub students: i64,
    /// Statuses in force in the list's school year.
    pub statuses: Vec<StatusDto>,
}

impl From<SchoolRow> for SchoolSummaryDto {
    fn from(s: SchoolRow) -> Self {
        Self {
            id: s.id.to_string(),
            name: s.name,
            kind: s.kind.as_str().to_owned(),
            locality: s.locality.into(),
            students: s.students,
            statuses: s.statuses.into_iter().map(StatusDto::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchoolListDto {
    pub municipality: MunicipalityRefDto,
    pub school_year: Option<i32>,
    pub schools: Vec<SchoolSummaryDto>,
}

/// Social-context shares, 0..1, null when unknown.
#[derive(Serialize, ToSchema)]
pub struct SocialDto {
    pub low_income: Option<f64>,
    pub single_parent: Option<f64>,
    pub non_native: Option<f64>,
    pub disability: Option<f64>,
    pub parents_higher_ed: Option<f64>,
    pub on_register: Option<f64>,
}

impl From<SocialContext> for SocialDto {
    fn from(s: SocialContext) -> Self {
        Self {
            low_income: s.low_income,
            single_parent: s.single_parent,
            non_native: s.non_native,
            disability: s.disability,
            parents_higher_ed: s.parents_higher_ed,
            on_register: s.on_register,
        }
    }
}

/// Where a status decision came from.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceDto {
    RuleRun {
        rule_version: String,
    },
    Manual {
        order_number: String,
        order_date: Option<NaiveDate>,
    },
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionDto {
    Assigned,
    Removed,
}

#[derive(Serialize, ToSchema)]
pub struct StatusRecordDto {
    pub school_year: i32,
    pub status: StatusDto,
    pub decision: DecisionDto,
    pub source: SourceDto,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// Whether this is the latest decision for its year and status.
    pub in_force: bool,
}

impl From<StatusEntry> for StatusRecordDto {
    fn from(e: StatusEntry) -> Self {
        Self {
            school_year: e.year.start_year(),
            status: e.status.into(),
            decision: match e.decision {
                StatusDecision::Assigned => DecisionDto::Assigned,
                StatusDecision::Removed => DecisionDto::Removed,
            },
            source: match e.source {
                StatusSource::RuleRun { rule_version } => SourceDto::RuleRun { rule_version },
                StatusSource::Manual {
                    order_number,
                    order_date,
                } => SourceDto::Manual {
                    order_number,
                    order_date,
                },
            },
            note: e.note,
            recorded_at: e.recorded_at,
            in_force: e.in_force,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchoolDto {
    pub id: String,
    pub name: String,
    pub municipality: MunicipalityRefDto,
    pub kind: String,
    pub locality: LocalityDto,
    pub students: i64,
    pub social: SocialDto,
    pub updated_at: DateTime<Utc>,
    /// Every status decision, oldest first.
    pub statuses: Vec<StatusRecordDto>,
}

#[derive(Serialize, ToSchema)]
pub struct HealthDto {
    pub status: String,
    pub database: String,
}

/// All regions.
#[utoipa::path(get, path = "/api/v1/regions", tag = "registry",
    responses((status = 200, description = "Регионы", body = Vec<RegionDto>)))]
async fn list_regions(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Result<Json<Vec<RegionDto>>, ApiError> {
    let mut regions = state.store.regions().await?;
    regions.retain(|r| session.allows(Action::Read, Resource::Overview, &Place::region(r.id)));
    Ok(Json(
        regions
            .into_iter()
            .map(|r| RegionDto {
                id: r.id,
                name: r.name,
            })
            .collect(),
    ))
}

/// A region with its municipalities and the number of schools by status.
#[utoipa::path(get, path = "/api/v1/regions/{id}", tag = "registry",
    params(("id" = i64, Path, description = "Номер региона"), YearQuery),
    responses((status = 200, description = "Регион", body = RegionOverviewDto),
              (status = 400, description = "Неверный параметр", body = ErrorDto),
              (status = 404, description = "Регион не найден", body = ErrorDto)))]
async fn get_region(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Json<RegionOverviewDto>, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Регион с номером {raw_id} не найден."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let region = store.region(id).await?.ok_or_else(not_found)?;
    session.require(Action::Read, Resource::Overview, &Place::region(id))?;
    let year = resolve_year(store, &query.year).await?;
    let municipalities = store.municipality_overview(id, year).await?;
    Ok(Json(RegionOverviewDto {
        id: region.id,
        name: region.name,
        school_year: year.map(|y| y.start_year()),
        municipalities: municipalities.into_iter().map(Into::into).collect(),
    }))
}

/// School years that have statuses, latest first.
#[utoipa::path(get, path = "/api/v1/years", tag = "registry",
    responses((status = 200, description = "Учебные годы", body = Vec<YearDto>)))]
async fn list_years(
    State(state): State<AppState>,
    Auth(_session): Auth,
) -> Result<Json<Vec<YearDto>>, ApiError> {
    let years = state.store.years().await?;
    Ok(Json(
        years
            .into_iter()
            .map(|y| YearDto {
                school_year: y.start_year(),
                label: y.label(),
            })
            .collect(),
    ))
}

/// The schools of a municipality, filtered and sorted as on its page.
#[utoipa::path(get, path = "/api/v1/municipalities/{id}/schools", tag = "registry",
    params(("id" = i64, Path, description = "Номер муниципалитета"), SchoolListQuery),
    responses((status = 200, description = "Школы муниципалитета", body = SchoolListDto),
              (status = 400, description = "Неверный параметр", body = ErrorDto),
              (status = 404, description = "Муниципалитет не найден", body = ErrorDto)))]
async fn list_schools(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
    query: Result<Query<SchoolListQuery>, QueryRejection>,
) -> Result<Json<SchoolListDto>, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Муниципалитет с номером {raw_id} не найден."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let place = places::municipality(store, id).await?;
    session.require(Action::Read, Resource::Overview, &place)?;
    let municipality = store.municipality(id).await?.ok_or_else(not_found)?;
    let filter = query.to_filter(store, id).await?;
    let schools = store.schools(&filter).await?;
    Ok(Json(SchoolListDto {
        municipality: MunicipalityRefDto {
            id: municipality.id,
            name: municipality.name,
            region: RegionDto {
                id: municipality.region_id,
                name: municipality.region_name,
            },
        },
        school_year: filter.year.map(|y| y.start_year()),
        schools: schools.into_iter().map(Into::into).collect(),
    }))
}

/// A school with its social context and every status decision.
#[utoipa::path(get, path = "/api/v1/schools/{id}", tag = "registry",
    params(("id" = String, Path, description = "Код школы")),
    responses((status = 200, description = "Школа", body = SchoolDto),
              (status = 404, description = "Школа не найдена", body = ErrorDto)))]
async fn get_school(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
) -> Result<Json<SchoolDto>, ApiError> {
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Школа с кодом «{raw_id}» не найдена."));
    let id = SchoolId::parse(&raw_id).map_err(|_| not_found())?;
    let place = places::school(store, &id).await?;
    session.require(Action::Read, Resource::Overview, &place)?;
    let school = store.school(&id).await?.ok_or_else(not_found)?;
    let statuses = store.status_history(&id).await?;
    Ok(Json(SchoolDto {
        id: school.id.to_string(),
        name: school.name,
        municipality: MunicipalityRefDto {
            id: school.municipality_id,
            name: school.municipality_name,
            region: RegionDto {
                id: school.region_id,
                name: school.region_name,
            },
        },
        kind: school.kind.as_str().to_owned(),
        locality: school.locality.into(),
        students: school.students,
        social: school.social.into(),
        updated_at: school.updated_at,
        statuses: statuses.into_iter().map(Into::into).collect(),
    }))
}

/// Whether the service and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "Сервис работает", body = HealthDto),
              (status = 503, description = "База данных недоступна", body = HealthDto)))]
pub async fn health(State(state): State<AppState>) -> Response {
    let database = state.store.backend().to_owned();
    match state.store.is_empty().await {
        Ok(_) => Json(HealthDto {
            status: "ok".to_owned(),
            database,
        })
        .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(HealthDto {
                    status: "error".to_owned(),
                    database,
                }),
            )
                .into_response()
        }
    }
}
