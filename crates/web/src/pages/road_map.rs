//! Дорожная карта: the stored road map as a table in the document's own column layout, with its
//! sections, approving order, period and lists.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use orientir_domain::period::PeriodKind;
use orientir_domain::registry::Scope;
use orientir_domain::roadmap::{Activity, RoadMap};
use orientir_domain::text::format_date_short;
use orientir_report::{Approval, road_map_docx, road_map_xlsx};
use serde::Deserialize;

use super::timeline::{Timeline, timeline};
use crate::auth::{Auth, SessionView, places};
use crate::error::PageError;
use crate::query::bad_query;
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};
use orientir_store::VersionState;

#[derive(Debug, Default, Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

pub struct Crumb {
    pub label: String,
    pub href: String,
}

/// A column of the activity table; only columns the document fills are shown.
#[derive(Clone, Copy, PartialEq)]
enum Column {
    Number,
    Title,
    Period,
    Responsible,
    Output,
    Indicator,
    Publicity,
    ExternalHelp,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Number,
        Column::Title,
        Column::Period,
        Column::Responsible,
        Column::Output,
        Column::Indicator,
        Column::Publicity,
        Column::ExternalHelp,
    ];

    fn header(self) -> &'static str {
        match self {
            Column::Number => "№",
            Column::Title => "Мероприятие",
            Column::Period => "Сроки",
            Column::Responsible => "Ответственные",
            Column::Output => "Итоговый документ / результат",
            Column::Indicator => "Показатель реализации",
            Column::Publicity => "Информационное сопровождение",
            Column::ExternalHelp => "Внешняя помощь",
        }
    }

    fn filled(self, activity: &Activity) -> bool {
        match self {
            Column::Number => activity.number.is_some(),
            Column::Title | Column::Period | Column::Responsible => true,
            Column::Output => activity.output.is_some(),
            Column::Indicator => activity.indicator.is_some(),
            Column::Publicity => activity.publicity.is_some(),
            Column::ExternalHelp => activity.external_help.is_some(),
        }
    }

    fn cell(self, activity: &Activity) -> Vec<String> {
        let text = |value: &Option<String>| value.iter().cloned().collect();
        match self {
            Column::Number => text(&activity.number),
            Column::Title => vec![activity.title.clone()],
            Column::Period => activity.period.iter().map(|p| p.text.clone()).collect(),
            Column::Responsible => activity.responsible.clone(),
            Column::Output => text(&activity.output),
            Column::Indicator => text(&activity.indicator),
            Column::Publicity => text(&activity.publicity),
            Column::ExternalHelp => text(&activity.external_help),
        }
    }
}

pub struct Cell {
    pub lines: Vec<String>,
    /// The period could not be read as dates: shown as written, flagged for the reader.
    pub unresolved: bool,
}

pub struct ActivityRow {
    pub index: usize,
    pub cells: Vec<Cell>,
}

pub struct SectionBlock {
    pub index: usize,
    pub title: String,
    pub tasks: Vec<String>,
    pub planned_results: Vec<String>,
    pub rows: Vec<ActivityRow>,
}

#[derive(Template)]
#[template(path = "road_map.html")]
struct RoadMapPage {
    session: SessionView,
    /// The execution page of this road map (statuses, evidence, review).
    execution_href: String,
    crumbs: Vec<Crumb>,
    meta: Option<String>,
    doc: DocumentView,
    /// DOCX and XLSX links.
    downloads: Option<(String, String)>,
    /// «История»: (when, who, what) of the road map's changes, newest first.
    history: Vec<(String, String, String)>,
}

/// A road-map audit record in words.
fn history_line(entry: &orientir_store::AuditEntry) -> (String, String, String) {
    let after: serde_json::Value = entry
        .after_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let before: serde_json::Value = entry
        .before_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let title = |v: &serde_json::Value| v["title"].as_str().unwrap_or_default().to_owned();
    let what = match entry.action.as_str() {
        "create" => format!(
            "создана: «{}», мероприятий {}",
            title(&after),
            after["activities"]
        ),
        "approve" => format!("утверждена версия {}", after["version"]),
        "edit" if title(&before) != title(&after) => {
            format!(
                "изменено мероприятие: «{}» → «{}»",
                title(&before),
                title(&after)
            )
        }
        "edit" => format!("изменено мероприятие «{}»", title(&after)),
        "add" => format!("добавлено мероприятие «{}»", title(&after)),
        "delete" => format!("удалено мероприятие «{}»", title(&before)),
        "move" => "мероприятие перемещено".to_owned(),
        other => other.to_owned(),
    };
    (
        entry.at.format("%d.%m.%Y %H:%M").to_string(),
        entry.actor.clone(),
        what,
    )
}

/// What the road-map page and the upload preview both show of a road map.
pub struct DocumentView {
    pub title: String,
    pub approval: Option<String>,
    pub period: Option<String>,
    pub goals: Vec<String>,
    pub tasks: Vec<String>,
    pub expected_results: Vec<String>,
    pub headers: Vec<&'static str>,
    pub sections: Vec<SectionBlock>,
    pub activities: usize,
    pub timeline: Option<Timeline>,
    /// The road map's id when its latest version is shown, so rows get edit controls.
    pub editable: Option<i64>,
    /// Versions and approval, for a stored road map.
    pub versions: Option<VersionPanel>,
}

/// The versions of a stored road map and whether the shown one can be approved.
pub struct VersionPanel {
    pub id: i64,
    /// The latest version is a draft: it can be approved.
    pub can_approve: bool,
    /// The latest version is approved: edits will start a new draft.
    pub frozen: bool,
    /// (number, state, is the one shown), latest first.
    pub list: Vec<(i64, &'static str, bool)>,
    /// Owned by a municipality: schools' road maps can be made from it.
    pub municipal: bool,
}

impl DocumentView {
    pub fn new(map: &RoadMap) -> Self {
        let columns: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| map.activities().any(|a| c.filled(a)))
            .collect();
        let sections = map
            .sections
            .iter()
            .enumerate()
            .map(|(section_index, section)| SectionBlock {
                index: section_index,
                title: section.title.clone(),
                tasks: section.tasks.clone(),
                planned_results: section.planned_results.clone(),
                rows: section
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(index, activity)| ActivityRow {
                        index,
                        cells: columns
                            .iter()
                            .map(|&column| Cell {
                                lines: column.cell(activity),
                                unresolved: column == Column::Period
                                    && activity
                                        .period
                                        .as_ref()
                                        .is_some_and(|p| p.kind == PeriodKind::Unresolved),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            title: map.title.clone(),
            approval: approval(map),
            period: map.period.map(|w| {
                format!(
                    "{} – {}",
                    format_date_short(w.from),
                    format_date_short(w.to)
                )
            }),
            goals: map.goals.clone(),
            tasks: map.tasks.clone(),
            expected_results: map.expected_results.clone(),
            headers: columns.iter().map(|c| c.header()).collect(),
            sections,
            activities: map.activities().count(),
            timeline: timeline(map, chrono::Utc::now().date_naive()),
            editable: None,
            versions: None,
        }
    }
}

/// «Утверждена приказом МКУ … от 01.07.2022 № 01-04-181», with whatever parts are known.
fn approval(map: &RoadMap) -> Option<String> {
    let order = map.order.as_ref()?;
    let mut text = String::from("Утверждена приказом");
    if let Some(issuer) = &order.issuer {
        text.push(' ');
        text.push_str(issuer);
    }
    if let Some(date) = order.date {
        text.push_str(&format!(" от {}", format_date_short(date)));
    }
    if let Some(number) = &order.number {
        text.push(' ');
        text.push_str(number);
    }
    (order.date.is_some() || order.number.is_some()).then_some(text)
}

pub async fn owner_crumbs(state: &AppState, owner: &Scope) -> Result<Vec<Crumb>, WebError> {
    let store = &state.store;
    let region = |id: i64, name: String| Crumb {
        label: name,
        href: format!("/regions/{id}"),
    };
    let municipality = |id: i64, name: String| Crumb {
        label: name,
        href: format!("/municipalities/{id}"),
    };
    Ok(match owner {
        Scope::Region(id) => store
            .region(*id)
            .await?
            .map(|r| vec![region(r.id, r.name)])
            .unwrap_or_default(),
        Scope::Municipality(id) => store
            .municipality(*id)
            .await?
            .map(|m| {
                vec![
                    region(m.region_id, m.region_name),
                    municipality(m.id, m.name),
                ]
            })
            .unwrap_or_default(),
        Scope::School(id) => store
            .school(id)
            .await?
            .map(|s| {
                vec![
                    region(s.region_id, s.region_name),
                    municipality(s.municipality_id, s.municipality_name),
                    Crumb {
                        label: s.name,
                        href: format!("/schools/{}", s.id),
                    },
                ]
            })
            .unwrap_or_default(),
    })
}

/// A road map in one of the export formats, named after its number and version.
pub async fn export(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((raw_id, format)): Path<(String, String)>,
    query: Result<Query<VersionQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(query) = query.map_err(bad_query)?;
    let not_found = || WebError::NotFound(format!("Дорожная карта с номером {raw_id} не найдена."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::RoadMap, &place)?;
    let version = parse_version(&query)?;
    let stored = state
        .store
        .road_map(id, version)
        .await?
        .ok_or_else(not_found)?;
    let (bytes, content_type) = match format.as_str() {
        "docx" => (
            road_map_docx(&stored.map, &Approval::default()).map_err(WebError::Export)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            road_map_xlsx(&stored.map).map_err(WebError::Export)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        other => {
            return Err(WebError::NotFound(format!(
                "Формат «{other}» не поддерживается: есть docx и xlsx."
            ))
            .into());
        }
    };
    let file_name = format!("road-map-{id}-v{}.{format}", stored.version);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn parse_version(query: &VersionQuery) -> Result<Option<i64>, WebError> {
    match query
        .version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            WebError::BadRequest(format!(
                "Параметр version = «{v}» не распознан: ожидается номер версии."
            ))
        }),
        None => Ok(None),
    }
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
    query: Result<Query<VersionQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(query) = query.map_err(bad_query)?;
    let not_found = || WebError::NotFound(format!("Дорожная карта с номером {raw_id} не найдена."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::RoadMap, &place)?;
    let can_write = session.allows(Action::Write, Resource::RoadMap, &place);
    let version = parse_version(&query)?;
    let stored = state
        .store
        .road_map(id, version)
        .await?
        .ok_or_else(not_found)?;
    let map = &stored.map;
    let mut meta = format!("Версия {}, {}", stored.version, stored.state.label());
    if let Some(source) = &stored.source_name {
        meta.push_str(&format!(", загружена из файла «{source}»"));
    }
    meta.push_str(&format!(
        ", сохранена {}",
        format_date_short(stored.created_at.date_naive())
    ));
    let versions = state.store.road_map_versions(id).await?;
    let latest = versions.first().map(|(v, _)| *v) == Some(stored.version);
    let mut doc = DocumentView::new(map);
    doc.editable = (latest && can_write).then_some(id);
    doc.versions = Some(VersionPanel {
        id,
        can_approve: latest
            && stored.state == VersionState::Draft
            && session.allows(Action::Approve, Resource::RoadMap, &place),
        frozen: latest && stored.state == VersionState::Approved,
        municipal: matches!(stored.owner, Scope::Municipality(_)),
        list: versions
            .iter()
            .map(|(v, st)| (*v, st.label(), *v == stored.version))
            .collect(),
    });
    let page = RoadMapPage {
        session: session.view(),
        execution_href: format!("/road-maps/{id}/execution"),
        crumbs: owner_crumbs(&state, &stored.owner).await?,
        meta: Some(meta),
        doc,
        downloads: Some((
            format!("/road-maps/{id}/export/docx?version={}", stored.version),
            format!("/road-maps/{id}/export/xlsx?version={}", stored.version),
        )),
        history: if session.allows(Action::Read, Resource::Audit, &place) {
            state
                .store
                .history("road_map", &id.to_string())
                .await?
                .iter()
                .map(history_line)
                .collect()
        } else {
            Vec::new()
        },
    };
    Ok(Html(page.render()?))
}
