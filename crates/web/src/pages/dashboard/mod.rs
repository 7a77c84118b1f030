//! Дашборды: what users open every week. A school lead's activities by due date (overdue first,
//! what the curator returned); a curator's schools and what waits for review; a municipality's
//! schools × progress, overdue, the next 14 days and checkpoint results; a region's
//! municipalities × progress. Every table downloads as a sheet of an XLSX workbook.

mod checkpoints;
pub(crate) mod progress;
mod table;

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate, Utc};
use orientir_domain::access::{Action, Place, Resource};
use orientir_domain::monitoring::ActivityStatus;
use orientir_domain::registry::{Role, SchoolId};
use orientir_domain::text::format_date_short;
use orientir_store::monitoring::ExecutionScope;
use orientir_store::{CommentRow, ProgressRow};
use serde::Deserialize;

use self::progress::{SchoolProgress, by_school};
use self::table::{Cell, Table};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};

pub use checkpoints::{add as add_checkpoint, freeze_due, page as checkpoint_page, recompute};

/// Days ahead the municipal dashboard lists.
const UPCOMING_DAYS: i64 = 14;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    session: SessionView,
    title: String,
    lead: String,
    export_href: String,
    tables: Arc<Vec<Table>>,
    /// The municipal dashboard's form to add a monitoring date.
    checkpoint_form: Option<i64>,
    other_dashboards: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    table: Option<String>,
}

fn due_text(due: Option<NaiveDate>) -> String {
    due.map(format_date_short).unwrap_or_else(|| "—".to_owned())
}

fn activity_href(o: &crate::pages::execution::model::Occurrence) -> String {
    format!(
        "/road-maps/{}/activities/{}",
        o.key.road_map_id, o.key.activity_key
    )
}

fn status_cell(o: &crate::pages::execution::model::Occurrence) -> Cell {
    let text = if o.overdue {
        format!("{} (просрочено)", o.status.label())
    } else {
        o.status.label().to_owned()
    };
    Cell::text(text).marked(if o.overdue { "overdue" } else { "" })
}

fn percent_cell(school: &SchoolProgress, today: NaiveDate) -> [Cell; 3] {
    let f = school.filling_at(today);
    [
        Cell::text(f.due.to_string()),
        Cell::text(f.done.to_string()),
        Cell::text(format!("{} %", f.percent())),
    ]
}

/// Schools × progress (the curator's and the municipality's first table): each school links to
/// its own dashboard.
fn schools_table(
    title: &str,
    schools: &[SchoolProgress],
    today: NaiveDate,
    empty: &'static str,
) -> Table {
    Table {
        id: "schools",
        title: title.to_owned(),
        headers: vec![
            "Школа",
            "К сроку",
            "Выполнено с документами",
            "Заполнение",
            "Просрочено",
            "Ждут проверки",
        ],
        rows: schools
            .iter()
            .map(|s| {
                let [due, done, percent] = percent_cell(s, today);
                vec![
                    school_link(s),
                    due,
                    done,
                    percent,
                    Cell::text(s.overdue().to_string()),
                    Cell::text(s.awaiting_review().to_string()),
                ]
            })
            .collect(),
        empty,
    }
}

fn school_link(s: &SchoolProgress) -> Cell {
    Cell::link(
        s.school_name.clone(),
        format!("/dashboard/schools/{}", s.school_id),
    )
}

/// Where each kind of dashboard of this user is, widest first.
fn dashboards_of(session: &Session) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for grant in &session.principal.grants {
        let place = &grant.place;
        let link = match (grant.role, place.municipality_id(), place.school_id()) {
            (Role::Curator, _, Some(_)) => (
                "Мои школы (куратор)".to_owned(),
                "/dashboard/curator".to_owned(),
            ),
            (_, _, Some(school)) => (
                format!("Школа {school}"),
                format!("/dashboard/schools/{school}"),
            ),
            (Role::Curator, Some(_), None) => continue,
            (_, Some(m), None) => (
                format!("Муниципалитет {m}"),
                format!("/dashboard/municipalities/{m}"),
            ),
            (_, None, _) => (
                format!("Регион {}", place.region_id()),
                format!("/dashboard/regions/{}", place.region_id()),
            ),
        };
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links.sort_by_key(|(_, href)| {
        if href.contains("/regions/") {
            0
        } else if href.contains("/municipalities/") {
            1
        } else if href.contains("/curator") {
            2
        } else {
            3
        }
    });
    links
}

/// `/dashboard`: the widest dashboard of the user.
pub async fn mine(Auth(session): Auth) -> Result<Response, PageError> {
    match dashboards_of(&session).first() {
        Some((_, href)) => Ok(Redirect::to(href).into_response()),
        None => Err(WebError::Forbidden(
            "У вашей учётной записи нет ролей: обратитесь к администратору региона.".to_owned(),
        )
        .into()),
    }
}

fn render(session: &Session, page: Dashboard) -> Result<Response, PageError> {
    let html = DashboardPage {
        session: session.view(),
        other_dashboards: dashboards_of(session),
        title: page.title,
        lead: page.lead,
        export_href: page.export_href,
        tables: page.tables,
        checkpoint_form: page.checkpoint_form,
    }
    .render()?;
    Ok(Html(html).into_response())
}

/// The tables of a dashboard as a workbook (all tables, or the one named by `table`).
fn export(page: Dashboard, query: &ExportQuery, file: &str) -> Result<Response, PageError> {
    let sheets: Vec<_> = page
        .tables
        .iter()
        .filter(|t| query.table.as_deref().is_none_or(|name| name == t.id))
        .map(Table::sheet)
        .collect();
    if sheets.is_empty() {
        return Err(WebError::NotFound("Такой таблицы на этой панели нет.".to_owned()).into());
    }
    let bytes = orientir_report::tables_xlsx(&sheets).map_err(WebError::Export)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A dashboard's content; the same for everyone allowed to see it, so it is cached per place
/// and day within a store generation (see `cached`).
#[derive(Clone)]
pub struct Dashboard {
    title: String,
    lead: String,
    export_href: String,
    tables: Arc<Vec<Table>>,
    checkpoint_form: Option<i64>,
}

/// The cache of computed dashboards: (kind, id, day) → dashboard.
pub type DashboardCache = orientir_store::cache::Cache<(char, i64, NaiveDate), Dashboard>;

/// A dashboard computed at most once per store generation and day.
async fn cached<F, Fut>(
    state: &AppState,
    kind: char,
    id: i64,
    compute: F,
) -> Result<Dashboard, WebError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Dashboard, WebError>>,
{
    let key = (kind, id, Utc::now().date_naive());
    let generation = state.store.generation();
    if let Some(dashboard) = state.dashboards.get(&key, generation) {
        return Ok(dashboard);
    }
    let dashboard = compute().await?;
    state.dashboards.put(key, generation, dashboard.clone());
    Ok(dashboard)
}

// --- school -----------------------------------------------------------------------------------

async fn school_dashboard(
    state: &AppState,
    session: &Session,
    raw: &str,
) -> Result<Dashboard, WebError> {
    let id = SchoolId::parse(raw)
        .map_err(|_| WebError::NotFound(format!("Школа с кодом «{raw}» не найдена.")))?;
    let place = places::school(&state.store, &id).await?;
    session.require(Action::Read, Resource::Progress, &place)?;
    let today = Utc::now().date_naive();
    let data = state
        .store
        .execution_data(&ExecutionScope::School(id.clone()))
        .await?;
    let schools = by_school(&data, today);
    let name = match schools.first() {
        Some(s) => s.school_name.clone(),
        None => state
            .store
            .school(&id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
    };
    let mut occurrences: Vec<_> = schools.iter().flat_map(|s| s.occurrences.iter()).collect();
    // Overdue first, then by due date; undated last.
    occurrences.sort_by_key(|o| (!o.overdue, o.due.is_none(), o.due));
    let mine = Table {
        id: "activities",
        title: "Мои мероприятия".to_owned(),
        headers: vec!["Срок", "Мероприятие", "Статус", "Документы"],
        rows: occurrences
            .iter()
            .filter(|o| o.status != ActivityStatus::Accepted)
            .map(|o| {
                vec![
                    Cell::text(due_text(o.due)),
                    Cell::link(o.title.clone(), activity_href(o)),
                    status_cell(o),
                    Cell::text(o.evidence.to_string()),
                ]
            })
            .collect(),
        empty: "Все мероприятия приняты куратором.",
    };
    // Statuses and threads of the road maps with returned work, each read once.
    let mut threads: HashMap<i64, (Vec<ProgressRow>, Vec<CommentRow>)> = HashMap::new();
    let mut returned_rows = Vec::new();
    for o in occurrences
        .iter()
        .filter(|o| o.status == ActivityStatus::Returned)
    {
        let road_map = o.key.road_map_id;
        if let std::collections::hash_map::Entry::Vacant(slot) = threads.entry(road_map) {
            let progress = state.store.progress_of(road_map).await?;
            let comments = state.store.comments_of(road_map).await?;
            slot.insert((progress, comments));
        }
        let (progress, comments) = &threads[&road_map];
        let same = |key: i64, occurrence: &str| {
            key == o.key.activity_key && occurrence == o.key.occurrence
        };
        // The comment written with the return (same moment as the status), not a later reply.
        let returned_at = progress
            .iter()
            .find(|p| same(p.activity_key, &p.occurrence))
            .map(|p| p.updated_at);
        let comment = comments
            .iter()
            .rev()
            .filter(|c| returned_at.is_none_or(|at| c.created_at <= at))
            .find(|c| same(c.activity_key, &c.occurrence))
            .map(|c| format!("{}: {}", c.author.clone().unwrap_or_default(), c.body))
            .unwrap_or_default();
        returned_rows.push(vec![
            Cell::link(o.title.clone(), activity_href(o)),
            Cell::text(due_text(o.due)),
            Cell::text(comment),
        ]);
    }
    let returned = Table {
        id: "returned",
        title: "Возвращено куратором".to_owned(),
        headers: vec!["Мероприятие", "Срок", "Комментарий куратора"],
        rows: returned_rows,
        empty: "Возвращённых мероприятий нет.",
    };
    let overdue = occurrences.iter().filter(|o| o.overdue).count();
    Ok(Dashboard {
        title: format!("Мои задачи: {name}"),
        lead: format!(
            "Мероприятий: {}, просрочено: {overdue}. Сначала просроченные, затем по сроку.",
            occurrences.len()
        ),
        export_href: format!("/dashboard/schools/{id}/export.xlsx"),
        tables: Arc::new(vec![mine, returned]),
        checkpoint_form: None,
    })
}

pub async fn school_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let page = school_dashboard(&state, &session, &id).await?;
    render(&session, page)
}

pub async fn school_export(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let page = school_dashboard(&state, &session, &id).await?;
    export(page, &query, &format!("school-{id}"))
}

// --- curator ----------------------------------------------------------------------------------

async fn curator_dashboard(state: &AppState, session: &Session) -> Result<Dashboard, WebError> {
    let today = Utc::now().date_naive();
    let curated: Vec<SchoolId> = session
        .principal
        .grants
        .iter()
        .filter(|g| g.role == Role::Curator)
        .filter_map(|g| g.place.school_id().cloned())
        .collect();
    if curated.is_empty() {
        return Err(WebError::Forbidden(
            "За вами не закреплены школы: панель куратора пуста.".to_owned(),
        ));
    }
    let mut schools = Vec::new();
    for id in &curated {
        let data = state
            .store
            .execution_data(&ExecutionScope::School(id.clone()))
            .await?;
        let mut progress = by_school(&data, today);
        if progress.is_empty() {
            if let Some(card) = state.store.school(id).await? {
                progress.push(SchoolProgress {
                    school_id: id.to_string(),
                    school_name: card.name,
                    municipality_id: card.municipality_id,
                    municipality_name: card.municipality_name,
                    occurrences: Vec::new(),
                });
            }
        }
        schools.extend(progress);
    }
    let mine = schools_table("Мои школы", &schools, today, "Школ нет.");
    let mut visit_rows = state.store.visits_of_curator(session.user_id()).await?;
    // Planned visits first, nearest first; then recorded ones, latest first.
    visit_rows.sort_by_key(|v| {
        (
            v.visited_on.is_some(),
            v.visited_on.map(|d| -d.num_days_from_ce()),
            v.planned_on,
        )
    });
    let visits = Table {
        id: "visits",
        title: "Визиты".to_owned(),
        headers: vec!["Школа", "Дата", "Цель", "Состояние"],
        rows: visit_rows
            .iter()
            .map(|v| {
                let state_text = match v.visited_on {
                    Some(done) => format!("проведён {}", format_date_short(done)),
                    None if v.planned_on < today => "запланирован, дата прошла".to_owned(),
                    None => "запланирован".to_owned(),
                };
                vec![
                    Cell::link(v.school_name.clone(), format!("/schools/{}", v.school_id)),
                    Cell::link(format_date_short(v.planned_on), format!("/visits/{}", v.id)),
                    Cell::text(v.purpose.clone()),
                    Cell::text(state_text),
                ]
            })
            .collect(),
        empty: "Визиты не запланированы: план визита — на карточке школы, раздел «Сопровождение».",
    };
    let review = Table {
        id: "review",
        title: "Ждут проверки".to_owned(),
        headers: vec!["Школа", "Мероприятие", "Срок", "Документы"],
        rows: schools
            .iter()
            .flat_map(|s| {
                s.occurrences
                    .iter()
                    .filter(|o| o.status == ActivityStatus::Done)
                    .map(move |o| {
                        vec![
                            Cell::text(s.school_name.clone()),
                            Cell::link(o.title.clone(), activity_href(o)),
                            Cell::text(due_text(o.due)),
                            Cell::text(o.evidence.to_string()),
                        ]
                    })
            })
            .collect(),
        empty: "Нет мероприятий, ожидающих проверки.",
    };
    Ok(Dashboard {
        title: "Панель куратора".to_owned(),
        lead: format!("Закреплено школ: {}.", schools.len()),
        export_href: "/dashboard/curator/export.xlsx".to_owned(),
        tables: Arc::new(vec![mine, review, visits]),
        checkpoint_form: None,
    })
}

pub async fn curator_page(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Result<Response, PageError> {
    let page = curator_dashboard(&state, &session).await?;
    render(&session, page)
}

pub async fn curator_export(
    State(state): State<AppState>,
    Auth(session): Auth,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let page = curator_dashboard(&state, &session).await?;
    export(page, &query, "curator")
}

// --- municipality ---------------------------------------------------------------------------

async fn municipality_dashboard(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<Dashboard, WebError> {
    let place = places::municipality(&state.store, id).await?;
    session.require(Action::Read, Resource::Progress, &place)?;
    let can_add = session.allows(Action::Write, Resource::Checkpoint, &place);
    let mut dashboard = cached(state, 'm', id, || compute_municipality(state, id)).await?;
    dashboard.checkpoint_form = can_add.then_some(id);
    Ok(dashboard)
}

async fn compute_municipality(state: &AppState, id: i64) -> Result<Dashboard, WebError> {
    let municipality =
        state.store.municipality(id).await?.ok_or_else(|| {
            WebError::NotFound(format!("Муниципалитет с номером {id} не найден."))
        })?;
    let today = Utc::now().date_naive();
    let data = state
        .store
        .execution_data(&ExecutionScope::Municipality(id))
        .await?;
    let schools = by_school(&data, today);
    let progress = schools_table(
        "Школы и ход исполнения",
        &schools,
        today,
        "У школ муниципалитета ещё нет дорожных карт.",
    );
    let occurrence_row = |s: &SchoolProgress, o: &crate::pages::execution::model::Occurrence| {
        vec![
            school_link(s),
            Cell::link(o.title.clone(), activity_href(o)),
            Cell::text(due_text(o.due)),
            status_cell(o),
        ]
    };
    let mut overdue_rows: Vec<(Option<NaiveDate>, Vec<Cell>)> = schools
        .iter()
        .flat_map(|s| {
            s.occurrences
                .iter()
                .filter(|o| o.overdue)
                .map(move |o| (o.due, occurrence_row(s, o)))
        })
        .collect();
    overdue_rows.sort_by_key(|(due, _)| *due);
    let overdue = Table {
        id: "overdue",
        title: "Просроченные мероприятия".to_owned(),
        headers: vec!["Школа", "Мероприятие", "Срок", "Статус"],
        rows: overdue_rows.into_iter().map(|(_, row)| row).collect(),
        empty: "Просроченных мероприятий нет.",
    };
    let mut upcoming_rows: Vec<(Option<NaiveDate>, Vec<Cell>)> = schools
        .iter()
        .flat_map(|s| {
            s.upcoming(today, UPCOMING_DAYS)
                .map(move |o| (o.due, occurrence_row(s, o)))
        })
        .collect();
    upcoming_rows.sort_by_key(|(due, _)| *due);
    let upcoming = Table {
        id: "upcoming",
        title: format!("Ближайшие {UPCOMING_DAYS} дней"),
        headers: vec!["Школа", "Мероприятие", "Срок", "Статус"],
        rows: upcoming_rows.into_iter().map(|(_, row)| row).collect(),
        empty: "В ближайшие две недели сроков нет.",
    };
    let checkpoints = checkpoints::table(state, id).await?;
    Ok(Dashboard {
        title: format!("Мониторинг: {}", municipality.name),
        lead: format!(
            "Школ с дорожными картами: {}. Заполнение — доля мероприятий со сроком до сегодняшнего дня, \
             выполненных или принятых с подтверждающими документами.",
            schools.len()
        ),
        export_href: format!("/dashboard/municipalities/{id}/export.xlsx"),
        tables: Arc::new(vec![progress, overdue, upcoming, checkpoints]),
        checkpoint_form: None,
    })
}

pub async fn municipality_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let page = municipality_dashboard(&state, &session, id).await?;
    render(&session, page)
}

pub async fn municipality_export(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let page = municipality_dashboard(&state, &session, id).await?;
    export(page, &query, &format!("municipality-{id}"))
}

// --- region -----------------------------------------------------------------------------------

async fn region_dashboard(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<Dashboard, WebError> {
    session.require(Action::Read, Resource::Progress, &Place::region(id))?;
    cached(state, 'r', id, || compute_region(state, id)).await
}

async fn compute_region(state: &AppState, id: i64) -> Result<Dashboard, WebError> {
    let region = state
        .store
        .region(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Регион с номером {id} не найден.")))?;
    let today = Utc::now().date_naive();
    let data = state
        .store
        .execution_data(&ExecutionScope::Region(id))
        .await?;
    let schools = by_school(&data, today);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut current: Option<(i64, String, u32, u32, usize, usize)> = None;
    let flush = |line: Option<(i64, String, u32, u32, usize, usize)>, rows: &mut Vec<Vec<Cell>>| {
        if let Some((m, name, due, done, count, overdue)) = line {
            let percent = orientir_domain::monitoring::Filling { done, due }.percent();
            rows.push(vec![
                Cell::link(name, format!("/dashboard/municipalities/{m}")),
                Cell::text(count.to_string()),
                Cell::text(due.to_string()),
                Cell::text(done.to_string()),
                Cell::text(format!("{percent} %")),
                Cell::text(overdue.to_string()),
            ]);
        }
    };
    for s in &schools {
        let f = s.filling_at(today);
        match &mut current {
            Some(line) if line.0 == s.municipality_id => {
                line.2 += f.due;
                line.3 += f.done;
                line.4 += 1;
                line.5 += s.overdue();
            }
            _ => {
                flush(current.take(), &mut rows);
                current = Some((
                    s.municipality_id,
                    s.municipality_name.clone(),
                    f.due,
                    f.done,
                    1,
                    s.overdue(),
                ));
            }
        }
    }
    flush(current.take(), &mut rows);
    let table = Table {
        id: "municipalities",
        title: "Муниципалитеты и ход исполнения".to_owned(),
        headers: vec![
            "Муниципалитет",
            "Школ с картами",
            "К сроку",
            "Выполнено с документами",
            "Заполнение",
            "Просрочено",
        ],
        rows,
        empty: "Школьных дорожных карт пока нет.",
    };
    Ok(Dashboard {
        title: format!("Мониторинг: {}", region.name),
        lead: "Заполнение — доля мероприятий со сроком до сегодняшнего дня, выполненных или \
               принятых с подтверждающими документами."
            .to_owned(),
        export_href: format!("/dashboard/regions/{id}/export.xlsx"),
        tables: Arc::new(vec![table]),
        checkpoint_form: None,
    })
}

pub async fn region_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let page = region_dashboard(&state, &session, id).await?;
    render(&session, page)
}

pub async fn region_export(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let page = region_dashboard(&state, &session, id).await?;
    export(page, &query, &format!("region-{id}"))
}
