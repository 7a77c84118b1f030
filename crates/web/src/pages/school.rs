//! Карточка школы: attributes, social context, statuses by year with their sources, people.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use orientir_domain::registry::{SchoolId, SchoolYear, Scope, SocialContext, StatusKind};
use orientir_domain::text::{format_count, format_date_short};

use super::school_results::{ResultsView, results_view};
use crate::auth::{Auth, SessionView};
use crate::error::PageError;
use crate::view::{Badge, RoadMapLink, href, percent};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

struct Fact {
    label: &'static str,
    value: String,
}

struct YearStatuses {
    year: String,
    badges: Vec<Badge>,
}

struct HistoryLine {
    year: String,
    badge: Badge,
    decision: &'static str,
    source: String,
    note: String,
    recorded: String,
    in_force: bool,
}

struct PersonLine {
    name: String,
    position: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "school.html")]
struct SchoolPage {
    session: SessionView,
    /// Links the user may follow: the region and municipality pages need wider rights.
    show_region: bool,
    show_municipality: bool,
    name: String,
    region_name: String,
    region_href: String,
    municipality_name: String,
    municipality_href: String,
    facts: Vec<Fact>,
    social: Vec<Fact>,
    by_year: Vec<YearStatuses>,
    history: Vec<HistoryLine>,
    people: Vec<PersonLine>,
    road_maps: Vec<RoadMapLink>,
    results: Option<ResultsView>,
    /// `KIND:ID` of the page's owner, for the upload link and the CLI hint.
    owner_code: String,
    /// «Сопровождение» (curators, agreements, visits), when the user may read it.
    curation: Option<super::curation::CurationView>,
    /// «История» of the school's сопровождение, when the user may read the audit log.
    audit: Option<Vec<super::curation::AuditLine>>,
}

fn social_label(column: &str) -> &'static str {
    match column {
        "low_income" => "Обучающиеся из малообеспеченных семей",
        "single_parent" => "Обучающиеся из неполных семей",
        "non_native" => "Обучающиеся, для которых русский язык не родной",
        "disability" => "Обучающиеся с ОВЗ",
        "parents_higher_ed" => "Родители с высшим образованием",
        "on_register" => "Обучающиеся, состоящие на учёте",
        _ => "Показатель",
    }
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
) -> Result<Html<String>, PageError> {
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Школа с кодом «{raw_id}» не найдена."));
    let id = SchoolId::parse(&raw_id).map_err(|_| not_found())?;
    let place = store.place_of_school(&id).await?.ok_or_else(not_found)?;
    session.require(Action::Read, Resource::Overview, &place)?;
    let region_place = orientir_domain::access::Place::region(place.region_id());
    let municipality_place = orientir_domain::access::Place::municipality(
        place.region_id(),
        place.municipality_id().unwrap_or_default(),
    );
    let school = store.school(&id).await?.ok_or_else(not_found)?;
    let history = store.status_history(&id).await?;
    let people = store.people_at_school(&id).await?;
    let road_maps = store.road_maps_of(&Scope::School(id.clone())).await?;
    let results = results_view(&store.school_results(&id).await?);
    let curation = super::curation::card_section(&state, &session, &id, &place).await?;
    let audit = super::curation::history_section(&state, &session, &id, &place).await?;

    let facts = vec![
        Fact {
            label: "Код школы",
            value: school.id.to_string(),
        },
        Fact {
            label: "Вид организации",
            value: school.kind.as_str().to_owned(),
        },
        Fact {
            label: "Местность",
            value: school.locality.label().to_owned(),
        },
        Fact {
            label: "Обучающихся",
            value: format_count(school.students),
        },
        Fact {
            label: "Сведения обновлены",
            value: format_date_short(school.updated_at.date_naive()),
        },
    ];
    let social = SocialContext::COLUMNS
        .into_iter()
        .map(|column| Fact {
            label: social_label(column),
            value: percent(school.social.get(column)),
        })
        .collect();

    // Statuses in force, by year, latest year first.
    let mut years: Vec<SchoolYear> = history.iter().map(|h| h.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let by_year = years
        .into_iter()
        .map(|year| {
            let mut statuses: Vec<StatusKind> = history
                .iter()
                .filter(|h| {
                    h.year == year
                        && h.in_force
                        && h.decision == orientir_domain::registry::StatusDecision::Assigned
                })
                .map(|h| h.status)
                .collect();
            statuses.sort();
            YearStatuses {
                year: year.label(),
                badges: statuses.into_iter().map(Badge::from).collect(),
            }
        })
        .collect();
    let history = history
        .into_iter()
        .rev()
        .map(|h| HistoryLine {
            year: h.year.label(),
            badge: Badge::from(h.status),
            decision: h.decision.label(),
            source: h.source.describe(),
            note: h.note.unwrap_or_default(),
            recorded: format_date_short(h.recorded_at.date_naive()),
            in_force: h.in_force,
        })
        .collect();
    let page = SchoolPage {
        session: session.view(),
        show_region: session.allows(Action::Read, Resource::Overview, &region_place),
        show_municipality: session.allows(Action::Read, Resource::Overview, &municipality_place),
        name: school.name,
        region_href: href(&format!("/regions/{}", school.region_id), &[]),
        region_name: school.region_name,
        municipality_href: format!("/municipalities/{}", school.municipality_id),
        municipality_name: school.municipality_name,
        facts,
        social,
        by_year,
        history,
        people: people
            .into_iter()
            .map(|p| PersonLine {
                name: p.full_name,
                position: p.position.unwrap_or_default(),
                role: p.role.label(),
            })
            .collect(),
        road_maps: road_maps.into_iter().map(RoadMapLink::from).collect(),
        results,
        owner_code: format!("school:{}", school.id),
        curation,
        audit,
    };
    Ok(Html(page.render()?))
}
