//! Регион: its municipalities with the number of schools by status in a school year.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use orientir_domain::registry::{SchoolYear, StatusKind};
use orientir_domain::text::format_count;

use crate::auth::{Auth, SessionView};
use crate::error::PageError;
use crate::query::{YearQuery, bad_query, resolve_year};
use crate::view::{Badge, SelectOption, href, year_options};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Place, Resource};

struct CountCell {
    value: String,
    href: String,
}

struct MunicipalityLine {
    name: String,
    href: String,
    schools: String,
    counts: Vec<CountCell>,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    session: SessionView,
    id: i64,
    name: String,
    year_label: Option<String>,
    years: Vec<SelectOption>,
    statuses: Vec<Badge>,
    lines: Vec<MunicipalityLine>,
    total_schools: String,
    totals: Vec<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(query) = query.map_err(bad_query)?;
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Регион с номером {raw_id} не найден."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let region = store.region(id).await?.ok_or_else(not_found)?;
    session.require(Action::Read, Resource::Overview, &Place::region(id))?;
    let year = resolve_year(store, &query.year).await?;
    let overview = store.municipality_overview(id, year).await?;
    let years = store.years().await?;
    let year_param = year.map(|y: SchoolYear| y.start_year().to_string());

    let lines = overview
        .iter()
        .map(|m| {
            let path = format!("/municipalities/{}", m.id);
            MunicipalityLine {
                name: m.name.clone(),
                href: href(&path, &[("year", year_param.clone())]),
                schools: format_count(m.schools),
                counts: StatusKind::ALL
                    .iter()
                    .map(|&status| CountCell {
                        value: format_count(m.count(status)),
                        href: href(
                            &path,
                            &[
                                ("year", year_param.clone()),
                                ("status", Some(status.code().to_owned())),
                            ],
                        ),
                    })
                    .collect(),
            }
        })
        .collect();
    let totals = StatusKind::ALL
        .iter()
        .map(|&s| format_count(overview.iter().map(|m| m.count(s)).sum()))
        .collect();
    let page = RegionPage {
        session: session.view(),
        id: region.id,
        name: region.name,
        year_label: year.map(|y| y.label()),
        years: year_options(&years, year),
        statuses: StatusKind::ALL.into_iter().map(Badge::from).collect(),
        lines,
        total_schools: format_count(overview.iter().map(|m| m.schools).sum()),
        totals,
    };
    Ok(Html(page.render()?))
}
