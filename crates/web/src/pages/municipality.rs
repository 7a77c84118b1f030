//! Муниципалитет: its schools, filtered by status, locality and kind, sorted by a column.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use orientir_domain::registry::{Locality, Scope, StatusKind};
use orientir_domain::text::{format_count, plural};
use orientir_store::{SchoolFilter, SchoolSort};

use crate::auth::{Auth, SessionView};
use crate::error::PageError;
use crate::query::{SchoolListQuery, bad_query};
use crate::view::{Badge, RoadMapLink, SelectOption, href, year_options};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

struct SortHeader {
    label: &'static str,
    href: String,
    aria_sort: Option<&'static str>,
    numeric: bool,
}

struct SchoolLine {
    name: String,
    href: String,
    kind: String,
    locality: &'static str,
    students: String,
    badges: Vec<Badge>,
}

#[derive(Template)]
#[template(path = "municipality.html")]
struct MunicipalityPage {
    session: SessionView,
    id: i64,
    name: String,
    region_name: String,
    region_href: String,
    year_label: Option<String>,
    years: Vec<SelectOption>,
    statuses: Vec<SelectOption>,
    localities: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
    headers: Vec<SortHeader>,
    lines: Vec<SchoolLine>,
    found: String,
    filtered: bool,
    reset_href: String,
    road_maps: Vec<RoadMapLink>,
    /// `KIND:ID` of the page's owner, for the upload link and the CLI hint.
    owner_code: String,
}

fn sort_label(sort: SchoolSort) -> (&'static str, bool) {
    match sort {
        SchoolSort::Name => ("Школа", false),
        SchoolSort::Kind => ("Вид", false),
        SchoolSort::Locality => ("Местность", false),
        SchoolSort::Students => ("Обучающихся", true),
    }
}

/// The query of this page with another sort, so every filter survives a click on a header.
fn sort_href(path: &str, filter: &SchoolFilter, sort: SchoolSort) -> String {
    let descending = filter.sort == sort && !filter.descending;
    href(
        path,
        &[
            ("year", filter.year.map(|y| y.start_year().to_string())),
            ("status", filter.status.map(|s| s.code().to_owned())),
            ("locality", filter.locality.map(|l| l.code().to_owned())),
            ("kind", filter.kind.clone()),
            ("sort", Some(sort.code().to_owned())),
            ("order", descending.then(|| "desc".to_owned())),
        ],
    )
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(raw_id): Path<String>,
    query: Result<Query<SchoolListQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(query) = query.map_err(bad_query)?;
    let store = &state.store;
    let not_found = || WebError::NotFound(format!("Муниципалитет с номером {raw_id} не найден."));
    let id: i64 = raw_id.parse().map_err(|_| not_found())?;
    let place = store
        .place_of_municipality(id)
        .await?
        .ok_or_else(not_found)?;
    session.require(Action::Read, Resource::Overview, &place)?;
    let municipality = store.municipality(id).await?.ok_or_else(not_found)?;
    let filter = query.to_filter(store, id).await?;
    let schools = store.schools(&filter).await?;
    let years = store.years().await?;
    let kinds = store.school_kinds(id).await?;
    let road_maps = store.road_maps_of(&Scope::Municipality(id)).await?;
    let path = format!("/municipalities/{id}");
    let year_param = filter.year.map(|y| y.start_year().to_string());

    let mut statuses = vec![SelectOption::new("", "Все школы", filter.status.is_none())];
    statuses.extend(
        StatusKind::ALL
            .into_iter()
            .map(|s| SelectOption::new(s.code(), s.label(), filter.status == Some(s))),
    );
    let mut localities = vec![SelectOption::new("", "Любая", filter.locality.is_none())];
    localities.extend(
        Locality::ALL
            .into_iter()
            .map(|l| SelectOption::new(l.code(), l.label(), filter.locality == Some(l))),
    );
    let mut kind_options = vec![SelectOption::new("", "Любой", filter.kind.is_none())];
    kind_options.extend(kinds.iter().map(|k| {
        SelectOption::new(
            k.as_str(),
            k.as_str(),
            filter.kind.as_deref() == Some(k.as_str()),
        )
    }));

    let headers = [
        SchoolSort::Name,
        SchoolSort::Kind,
        SchoolSort::Locality,
        SchoolSort::Students,
    ]
    .into_iter()
    .map(|sort| {
        let (label, numeric) = sort_label(sort);
        SortHeader {
            label,
            href: sort_href(&path, &filter, sort),
            aria_sort: (filter.sort == sort).then_some(if filter.descending {
                "descending"
            } else {
                "ascending"
            }),
            numeric,
        }
    })
    .collect();
    let count = schools.len() as i64;
    let lines = schools
        .into_iter()
        .map(|s| SchoolLine {
            href: format!("/schools/{}", s.id),
            name: s.name,
            kind: s.kind.as_str().to_owned(),
            locality: s.locality.label(),
            students: format_count(s.students),
            badges: s.statuses.into_iter().map(Badge::from).collect(),
        })
        .collect();
    let page = MunicipalityPage {
        session: session.view(),
        id,
        name: municipality.name,
        region_name: municipality.region_name,
        region_href: href(
            &format!("/regions/{}", municipality.region_id),
            &[("year", year_param.clone())],
        ),
        year_label: filter.year.map(|y| y.label()),
        years: year_options(&years, filter.year),
        statuses,
        localities,
        kinds: kind_options,
        headers,
        lines,
        found: format!(
            "{} {}",
            format_count(count),
            plural(count, ["школа", "школы", "школ"])
        ),
        filtered: filter.status.is_some() || filter.locality.is_some() || filter.kind.is_some(),
        reset_href: href(&path, &[("year", year_param)]),
        road_maps: road_maps.into_iter().map(RoadMapLink::from).collect(),
        owner_code: format!("municipality:{id}"),
    };
    Ok(Html(page.render()?))
}
