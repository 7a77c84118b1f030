//! Выявление: the identification rule run on stored results for a year, with the four lists,
//! counts by municipality, transitions against the year before, and a what-if: change the share or
//! the minimum of participants and see who would enter or leave the ШНОР list before saving.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::identify::{
    Cell, Decision, Identification, RuleConfig, SchoolContext, identify, school_ids, transitions,
};
use orientir_domain::registry::{SchoolYear, StatusKind};
use orientir_report::{SheetTable, tables_xlsx};
use orientir_store::{RuleRunStatus, SchoolFilter, SchoolSort};
use serde::Deserialize;

use crate::auth::{Auth, SessionView, places};
use crate::error::PageError;
use crate::query::bad_query;
use crate::view::{SelectOption, href};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

#[derive(Debug, Default, Deserialize)]
pub struct RunQuery {
    year: Option<String>,
    /// What-if: the share of failing participants, e.g. 0.35.
    share: Option<String>,
    /// What-if: the smallest cell that counts.
    min_participants: Option<String>,
    saved: Option<String>,
}

/// A school as the lists show it.
#[derive(Clone)]
struct SchoolRef {
    name: String,
    municipality: String,
}

struct Listed {
    name: String,
    href: String,
    municipality: String,
    explanation: String,
}

struct ListBlock {
    id: &'static str,
    title: &'static str,
    rows: Vec<Listed>,
}

struct MunicipalityCounts {
    name: String,
    counts: [usize; 4],
}

struct Change {
    title: &'static str,
    schools: Vec<String>,
}

#[derive(Template)]
#[template(path = "identification.html")]
struct IdentificationPage {
    session: SessionView,
    years: Vec<SelectOption>,
    year: Option<i32>,
    share: String,
    min_participants: String,
    what_if: bool,
    rule_version: String,
    lists: Vec<ListBlock>,
    by_municipality: Vec<MunicipalityCounts>,
    transitions: Vec<Change>,
    what_if_changes: Vec<Change>,
    saved: Option<String>,
    reset_href: String,
    export_href: String,
}

/// The default rule with the what-if parameters applied; a bad value is a 400 naming it.
fn rule_with(query: &RunQuery) -> Result<(RuleConfig, bool), WebError> {
    let mut rule = RuleConfig::default();
    let mut changed = false;
    if let Some(raw) = query
        .share
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let share: f64 = raw.replace(',', ".").parse().map_err(|_| {
            WebError::BadRequest(format!(
                "Доля «{raw}» не распознана: ожидается число от 0 до 1."
            ))
        })?;
        if !(0.0..=1.0).contains(&share) {
            return Err(WebError::BadRequest(format!(
                "Доля «{raw}» вне допустимых пределов: ожидается число от 0 до 1."
            )));
        }
        changed |= (share - rule.low_results.share).abs() > f64::EPSILON;
        rule.low_results.share = share;
    }
    if let Some(raw) = query
        .min_participants
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let min: u32 = raw.parse().ok().filter(|m| *m >= 1).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Минимум участников «{raw}» не распознан: ожидается целое число не меньше 1."
            ))
        })?;
        changed |= min != rule.low_results.min_participants;
        rule.low_results.min_participants = min;
    }
    if changed {
        rule.version = format!(
            "{} (доля {}, не меньше {} участников)",
            rule.version, rule.low_results.share, rule.low_results.min_participants
        );
    }
    Ok((rule, changed))
}

/// What the rule runs on, read once per request and shared by every run the page makes (the
/// year, the year before, the default rule for the what-if).
struct Inputs {
    cells: Vec<Cell>,
    contexts: Vec<SchoolContext>,
}

impl Inputs {
    /// Cells from the earliest year any run needs (the year before, and the mentor rule's span)
    /// up to `year`; the engine ignores the years a run does not look at.
    async fn load(state: &AppState, year: i32, rule: &RuleConfig) -> Result<Self, WebError> {
        let span = i32::try_from(rule.mentor.years).unwrap_or(i32::MAX).max(2);
        let (cells, contexts) = state
            .store
            .rule_inputs(year.saturating_sub(span)..=year)
            .await?;
        Ok(Self { cells, contexts })
    }

    fn run(&self, year: i32, rule: &RuleConfig) -> Identification {
        identify(&self.cells, &self.contexts, year, rule)
    }
}

/// The `year` parameter, when given.
fn requested_year(query: &RunQuery) -> Result<Option<i32>, WebError> {
    match query
        .year
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(raw) => SchoolYear::parse(raw)
            .map(|y| Some(y.start_year()))
            .map_err(|e| WebError::BadRequest(format!("Параметр year: {e}."))),
        None => Ok(None),
    }
}

/// Names and municipalities of every school, for the lists.
async fn directory(state: &AppState) -> Result<HashMap<String, SchoolRef>, WebError> {
    let store = &state.store;
    let mut schools = HashMap::new();
    for region in store.regions().await? {
        for municipality in store.municipality_overview(region.id, None).await? {
            let filter = SchoolFilter {
                municipality_id: municipality.id,
                year: None,
                status: None,
                locality: None,
                kind: None,
                sort: SchoolSort::Name,
                descending: false,
            };
            for school in store.schools(&filter).await? {
                schools.insert(
                    school.id.to_string(),
                    SchoolRef {
                        name: school.name,
                        municipality: municipality.name.clone(),
                    },
                );
            }
        }
    }
    Ok(schools)
}

fn name_of(directory: &HashMap<String, SchoolRef>, id: &str) -> String {
    directory
        .get(id)
        .map_or_else(|| id.to_owned(), |s| s.name.clone())
}

fn block(
    id: &'static str,
    title: &'static str,
    decisions: impl Iterator<Item = (String, String)>,
    directory: &HashMap<String, SchoolRef>,
) -> ListBlock {
    let mut rows: Vec<Listed> = decisions
        .map(|(school, explanation)| Listed {
            name: name_of(directory, &school),
            href: format!("/schools/{school}"),
            municipality: directory
                .get(&school)
                .map(|s| s.municipality.clone())
                .unwrap_or_default(),
            explanation,
        })
        .collect();
    rows.sort_by(|a, b| (&a.municipality, &a.name).cmp(&(&b.municipality, &b.name)));
    ListBlock { id, title, rows }
}

fn decisions(list: &[Decision]) -> impl Iterator<Item = (String, String)> + '_ {
    list.iter()
        .map(|d| (d.school_id.clone(), d.explanation.clone()))
}

/// The four lists of a year under a rule, with names and municipalities.
fn lists_for(
    inputs: &Inputs,
    year: i32,
    rule: &RuleConfig,
    directory: &HashMap<String, SchoolRef>,
) -> (Identification, Vec<ListBlock>) {
    let found = inputs.run(year, rule);
    let social = found
        .social_risk
        .iter()
        .map(|d| (d.school_id.clone(), d.explanation.clone()));
    let lists = vec![
        block(
            "low-results",
            "ШНОР",
            decisions(&found.low_results),
            directory,
        ),
        block(
            "declining",
            "Зона риска",
            decisions(&found.declining),
            directory,
        ),
        block("social-risk", "ШНСУ", social, directory),
        block(
            "mentors",
            "Школы-наставники",
            decisions(&found.mentors),
            directory,
        ),
    ];
    (found, lists)
}

/// The four lists as an XLSX workbook, one sheet per list.
pub async fn export(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<RunQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Read,
        Resource::Identification,
    )
    .await?;
    let Query(query) = query.map_err(bad_query)?;
    let (rule, _) = rule_with(&query)?;
    let year = requested_year(&query)?
        .ok_or_else(|| WebError::BadRequest("Укажите год: параметр year.".to_owned()))?;
    let directory = directory(&state).await?;
    let inputs = Inputs::load(&state, year, &rule).await?;
    let (_, lists) = lists_for(&inputs, year, &rule, &directory);
    let headers = ["Школа", "Код", "Муниципалитет", "Основание"]
        .map(str::to_owned)
        .to_vec();
    let tables: Vec<SheetTable> = lists
        .iter()
        .map(|list| SheetTable {
            name: format!("{} {year}", list.title),
            headers: headers.clone(),
            rows: list
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.href.trim_start_matches("/schools/").to_owned(),
                        r.municipality.clone(),
                        r.explanation.clone(),
                    ]
                })
                .collect(),
        })
        .collect();
    let bytes = tables_xlsx(&tables).map_err(WebError::Export)?;
    let file_name = format!("identification-{year}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<RunQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Read,
        Resource::Identification,
    )
    .await?;
    let Query(query) = query.map_err(bad_query)?;
    let (rule, what_if) = rule_with(&query)?;
    let years = state.store.result_years().await?;
    let year = match requested_year(&query)? {
        Some(year) => Some(year),
        None => years.first().copied(),
    };
    let directory = directory(&state).await?;
    let mut lists = Vec::new();
    let mut by_municipality: Vec<MunicipalityCounts> = Vec::new();
    let mut transition_blocks = Vec::new();
    let mut what_if_changes = Vec::new();
    let mut rule_version = rule.version.clone();
    if let Some(year) = year {
        let inputs = Inputs::load(&state, year, &rule).await?;
        let (found, computed) = lists_for(&inputs, year, &rule, &directory);
        rule_version = found.rule_version.clone();
        lists = computed;
        let mut counts: HashMap<String, [usize; 4]> = HashMap::new();
        for (i, list) in lists.iter().enumerate() {
            for row in &list.rows {
                counts.entry(row.municipality.clone()).or_default()[i] += 1;
            }
        }
        by_municipality = counts
            .into_iter()
            .map(|(name, counts)| MunicipalityCounts { name, counts })
            .collect();
        by_municipality.sort_by(|a, b| a.name.cmp(&b.name));

        let current = school_ids(&found.low_results);
        if years.contains(&(year - 1)) {
            let before = inputs.run(year - 1, &rule);
            let moved = transitions(&school_ids(&before.low_results), &current);
            let names = |ids: &[String]| ids.iter().map(|id| name_of(&directory, id)).collect();
            transition_blocks = vec![
                Change {
                    title: "Вошли в список",
                    schools: names(&moved.entered),
                },
                Change {
                    title: "Остались в списке",
                    schools: names(&moved.stayed),
                },
                Change {
                    title: "Вышли из списка",
                    schools: names(&moved.left),
                },
            ];
        }
        if what_if {
            let baseline = inputs.run(year, &RuleConfig::default());
            let moved = transitions(&school_ids(&baseline.low_results), &current);
            let names = |ids: &[String]| ids.iter().map(|id| name_of(&directory, id)).collect();
            what_if_changes = vec![
                Change {
                    title: "Добавятся к списку ШНОР",
                    schools: names(&moved.entered),
                },
                Change {
                    title: "Выйдут из списка ШНОР",
                    schools: names(&moved.left),
                },
            ];
        }
    }
    let page = IdentificationPage {
        session: session.view(),
        years: years
            .iter()
            .map(|y| SelectOption::new(y.to_string(), format!("{y}"), Some(*y) == year))
            .collect(),
        year,
        share: rule.low_results.share.to_string(),
        min_participants: rule.low_results.min_participants.to_string(),
        what_if,
        rule_version,
        lists,
        by_municipality,
        transitions: transition_blocks,
        what_if_changes,
        saved: query.saved,
        reset_href: href("/identification", &[("year", year.map(|y| y.to_string()))]),
        export_href: href(
            "/identification/export.xlsx",
            &[
                ("year", year.map(|y| y.to_string())),
                ("share", Some(rule.low_results.share.to_string())),
                (
                    "min_participants",
                    Some(rule.low_results.min_participants.to_string()),
                ),
            ],
        ),
    };
    Ok(Html(page.render()?))
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    year: i32,
    share: Option<String>,
    min_participants: Option<String>,
}

/// Records the run as statuses for the school year (append-only; the latest run is in force).
pub async fn save(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Write,
        Resource::Identification,
    )
    .await?;
    let query = RunQuery {
        year: Some(form.year.to_string()),
        share: form.share,
        min_participants: form.min_participants,
        saved: None,
    };
    let (rule, _) = rule_with(&query)?;
    let school_year = SchoolYear::new(form.year)
        .map_err(|e| WebError::BadRequest(format!("Год выявления: {e}.")))?;
    let found = Inputs::load(&state, form.year, &rule)
        .await?
        .run(form.year, &rule);
    let mut listed = Vec::new();
    let mut push = |ids: Vec<String>, status: StatusKind| -> Result<(), WebError> {
        for id in ids {
            let school_id = orientir_domain::registry::SchoolId::parse(&id)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            listed.push(RuleRunStatus {
                school_id,
                status,
                note: None,
            });
        }
        Ok(())
    };
    push(school_ids(&found.low_results), StatusKind::LowResults)?;
    push(school_ids(&found.declining), StatusKind::Declining)?;
    push(
        found
            .social_risk
            .iter()
            .map(|d| d.school_id.clone())
            .collect(),
        StatusKind::SocialRisk,
    )?;
    push(school_ids(&found.mentors), StatusKind::Mentor)?;
    let summary = session
        .store(&state.store)
        .record_rule_run(school_year, &found.rule_version, &listed)
        .await?;
    let message = format!(
        "Статусы за {} учебный год записаны: присвоено {}, снято {}.",
        school_year.label(),
        summary.assigned,
        summary.removed
    );
    let mut pairs = vec![
        ("year", Some(form.year.to_string())),
        ("saved", Some(message)),
    ];
    pairs.push(("share", Some(rule.low_results.share.to_string())));
    pairs.push((
        "min_participants",
        Some(rule.low_results.min_participants.to_string()),
    ));
    Ok(Redirect::to(&href("/identification", &pairs)).into_response())
}
