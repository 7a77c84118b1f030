//! Контрольные даты (срезы) of a municipality: at each date every school's filling is computed
//! and kept; the first snapshot is the record, a recomputation is kept beside it. A snapshot is
//! taken when the date has come — by the server's hourly task or, at the latest, when somebody
//! opens the dashboard or the checkpoint.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use orientir_domain::access::{Action, Resource};
use orientir_domain::registry::SchoolId;
use orientir_domain::text::format_date_short;
use orientir_store::Store;
use orientir_store::monitoring::{CheckpointRow, ExecutionScope, SchoolFilling};
use serde::Deserialize;

use super::progress::by_school;
use super::table::{Cell, Table};
use crate::auth::{Auth, SessionView, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};

/// Every school's filling at the checkpoint's date, from the current execution data, with the
/// school's name (for the preview).
async fn compute(
    store: &Store,
    checkpoint: &CheckpointRow,
) -> Result<Vec<(SchoolFilling, String)>, WebError> {
    let today = Utc::now().date_naive();
    let data = store
        .execution_data(&ExecutionScope::Municipality(checkpoint.municipality_id))
        .await?;
    by_school(&data, today)
        .into_iter()
        .map(|s| {
            let f = s.filling_at(checkpoint.due_on);
            let filling = SchoolFilling {
                school_id: SchoolId::parse(&s.school_id)
                    .map_err(|e| WebError::Internal(e.to_string()))?,
                done: i64::from(f.done),
                due: i64::from(f.due),
            };
            Ok((filling, s.school_name))
        })
        .collect()
}

/// The fillings alone, as snapshots store them.
async fn fillings(
    store: &Store,
    checkpoint: &CheckpointRow,
) -> Result<Vec<SchoolFilling>, WebError> {
    Ok(compute(store, checkpoint)
        .await?
        .into_iter()
        .map(|(filling, _)| filling)
        .collect())
}

/// Takes the first snapshot of every checkpoint whose date has come; answers how many.
pub async fn freeze_due(store: &Store) -> Result<usize, WebError> {
    let due = store.due_checkpoints(Utc::now().date_naive()).await?;
    let mut taken = 0;
    for checkpoint in &due {
        let results = fillings(store, checkpoint).await?;
        if store.save_first_snapshot(checkpoint.id, &results).await? {
            taken += 1;
        }
    }
    Ok(taken)
}

/// The municipal dashboard's table of checkpoints with their recorded results.
pub async fn table(state: &AppState, municipality_id: i64) -> Result<Table, WebError> {
    let today = Utc::now().date_naive();
    let mut checkpoints = state.store.checkpoints_of(municipality_id).await?;
    if checkpoints
        .iter()
        .any(|c| c.due_on <= today && c.snapshots == 0)
    {
        freeze_due(&state.store).await?;
        checkpoints = state.store.checkpoints_of(municipality_id).await?;
    }
    let mut rows = Vec::new();
    for c in &checkpoints {
        let result = match state.store.snapshots(c.id).await?.first() {
            Some(first) => {
                let results = state.store.snapshot_results(first.id).await?;
                let complete = results.iter().filter(|r| r.done == r.due).count();
                format!("{complete} из {}", results.len())
            }
            None => "срез ещё не сделан".to_owned(),
        };
        rows.push(vec![
            Cell::link(
                format_date_short(c.due_on),
                format!("/checkpoints/{}", c.id),
            ),
            Cell::text(c.title.clone()),
            Cell::text(result),
        ]);
    }
    Ok(Table {
        id: "checkpoints",
        title: "Контрольные даты".to_owned(),
        headers: vec!["Дата", "Название", "Школ со 100 % заполнением"],
        rows,
        empty: "Контрольные даты не назначены.",
    })
}

#[derive(Deserialize)]
pub struct CheckpointForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    title: String,
}

/// `01.04.2025` or `2025-04-01`.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
        .ok()
}

pub async fn add(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
    Form(form): Form<CheckpointForm>,
) -> Result<Response, PageError> {
    let place = places::municipality(&state.store, id).await?;
    session.require(Action::Write, Resource::Checkpoint, &place)?;
    let date = parse_date(&form.date).ok_or_else(|| {
        WebError::BadRequest(format!(
            "Дата «{}» не распознана: ожидается ДД.ММ.ГГГГ, например 01.04.2025.",
            form.date.trim()
        ))
    })?;
    let title = match form.title.trim() {
        "" => format!("Мониторинг на {}", format_date_short(date)),
        title => title.chars().take(200).collect(),
    };
    let added = session
        .store(&state.store)
        .add_checkpoint(id, date, &title)
        .await?;
    if added.is_none() {
        return Err(WebError::BadRequest(format!(
            "Контрольная дата {} уже назначена.",
            format_date_short(date)
        ))
        .into());
    }
    Ok(Redirect::to(&format!("/dashboard/municipalities/{id}#checkpoints")).into_response())
}

struct SnapshotView {
    label: String,
    rows: Vec<(String, String, String, String, bool)>,
    complete: Vec<String>,
}

#[derive(Template)]
#[template(path = "checkpoint.html")]
struct CheckpointPage {
    session: SessionView,
    id: i64,
    title: String,
    date: String,
    municipality_href: String,
    /// The record (first snapshot) and, when recomputed, the latest one.
    snapshots: Vec<SnapshotView>,
    /// Before the date: the filling as it stands now, not stored.
    preview: Option<SnapshotView>,
    can_recompute: bool,
}

fn view(label: String, results: Vec<(String, String, i64, i64)>) -> SnapshotView {
    let complete = results
        .iter()
        .filter(|r| r.2 == r.3)
        .map(|r| r.1.clone())
        .collect();
    SnapshotView {
        label,
        rows: results
            .into_iter()
            .map(|(id, name, done, due)| {
                let percent = (done * 100).checked_div(due).unwrap_or(100);
                (
                    format!("/dashboard/schools/{id}"),
                    name,
                    format!("{done} из {due}"),
                    format!("{percent} %"),
                    done == due,
                )
            })
            .collect(),
        complete,
    }
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let not_found = || WebError::NotFound(format!("Контрольная дата № {id} не найдена."));
    let mut checkpoint = state.store.checkpoint(id).await?.ok_or_else(not_found)?;
    let place = places::municipality(&state.store, checkpoint.municipality_id).await?;
    session.require(Action::Read, Resource::Checkpoint, &place)?;
    let today = Utc::now().date_naive();
    if checkpoint.due_on <= today && checkpoint.snapshots == 0 {
        freeze_due(&state.store).await?;
        checkpoint = state.store.checkpoint(id).await?.ok_or_else(not_found)?;
    }
    let stored = state.store.snapshots(id).await?;
    let mut snapshots = Vec::new();
    for (n, snapshot) in stored.iter().enumerate() {
        if n != 0 && n + 1 != stored.len() {
            continue;
        }
        let label = if n == 0 {
            format!(
                "Срез (зафиксирован {})",
                snapshot.computed_at.format("%d.%m.%Y %H:%M")
            )
        } else {
            format!("Пересчёт {}", snapshot.computed_at.format("%d.%m.%Y %H:%M"))
        };
        let results = state
            .store
            .snapshot_results(snapshot.id)
            .await?
            .into_iter()
            .map(|r| (r.school_id, r.school_name, r.done, r.due))
            .collect();
        snapshots.push(view(label, results));
    }
    let preview = if stored.is_empty() {
        let results = compute(&state.store, &checkpoint)
            .await?
            .into_iter()
            .map(|(f, name)| (f.school_id.to_string(), name, f.done, f.due))
            .collect();
        Some(view(
            "Предварительно, на сегодня (не сохраняется)".to_owned(),
            results,
        ))
    } else {
        None
    };
    let html = CheckpointPage {
        session: session.view(),
        id,
        title: checkpoint.title.clone(),
        date: format_date_short(checkpoint.due_on),
        municipality_href: format!("/dashboard/municipalities/{}", checkpoint.municipality_id),
        snapshots,
        preview,
        can_recompute: checkpoint.due_on <= today
            && session.allows(Action::Write, Resource::Checkpoint, &place),
    }
    .render()?;
    Ok(Html(html).into_response())
}

/// Computes the checkpoint again and keeps the result beside the first snapshot.
pub async fn recompute(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let checkpoint = state
        .store
        .checkpoint(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Контрольная дата № {id} не найдена.")))?;
    let place = places::municipality(&state.store, checkpoint.municipality_id).await?;
    session.require(Action::Write, Resource::Checkpoint, &place)?;
    if checkpoint.due_on > Utc::now().date_naive() {
        return Err(WebError::BadRequest(format!(
            "Дата среза {} ещё не наступила.",
            format_date_short(checkpoint.due_on)
        ))
        .into());
    }
    let results = fillings(&state.store, &checkpoint).await?;
    state.store.save_snapshot(id, &results).await?;
    Ok(Redirect::to(&format!("/checkpoints/{id}")).into_response())
}
