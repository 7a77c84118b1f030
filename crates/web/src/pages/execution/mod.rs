//! Исполнение дорожной карты: the status of every activity occurrence (overdue derived, never
//! stored), one activity's page with its evidence, comment thread, review and «История»; the
//! forms that move a status, attach a file or a link, and comment; evidence downloads.

mod evidence;
pub mod model;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use orientir_domain::access::{Action, Resource};
use orientir_domain::monitoring::{ActivityStatus, Actor, transition};
use orientir_domain::text::format_date_short;
use orientir_store::StoreError;
use serde::Deserialize;

use super::road_map::{Crumb, owner_crumbs};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};

pub(crate) use evidence::attach_link;
pub use evidence::{download, upload};

/// A row of the execution table.
struct Row {
    number: String,
    title: String,
    period: String,
    due: String,
    status: ActivityStatus,
    overdue: bool,
    evidence: usize,
    href: String,
}

#[derive(Template)]
#[template(path = "execution.html")]
struct ExecutionPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    title: String,
    road_map_href: String,
    rows: Vec<Row>,
    overdue: usize,
    completed: usize,
}

fn due_text(due: Option<chrono::NaiveDate>) -> String {
    due.map(format_date_short).unwrap_or_else(|| "—".to_owned())
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::Progress, &place)?;
    let today = Utc::now().date_naive();
    let execution = model::load(&state.store, id, today).await?;
    let mut crumbs = owner_crumbs(&state, &execution.road_map.owner).await?;
    crumbs.push(Crumb {
        label: "Дорожная карта".to_owned(),
        href: format!("/road-maps/{id}"),
    });
    let rows: Vec<Row> = execution
        .occurrences
        .iter()
        .map(|o| Row {
            number: o.number.clone(),
            title: o.title.clone(),
            period: o.period_text.clone(),
            due: due_text(o.due),
            status: o.status,
            overdue: o.overdue,
            evidence: o.evidence,
            href: format!("/road-maps/{id}/activities/{}", o.key.activity_key),
        })
        .collect();
    let page = ExecutionPage {
        session: session.view(),
        crumbs,
        title: execution.road_map.map.title.clone(),
        road_map_href: format!("/road-maps/{id}"),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        completed: rows.iter().filter(|r| r.status.is_completed()).count(),
        rows,
    };
    Ok(Html(page.render()?))
}

/// One occurrence on the activity page, with what this user may do to it.
struct OccurrenceView {
    occurrence: String,
    label: String,
    status: ActivityStatus,
    overdue: bool,
    /// Statuses this user may set now, as (code, button label).
    moves: Vec<(&'static str, &'static str)>,
    evidence: Vec<EvidenceView>,
    comments: Vec<CommentView>,
}

struct EvidenceView {
    text: String,
    href: String,
    meta: String,
}

struct CommentView {
    author: String,
    at: String,
    body: String,
}

struct HistoryLine {
    at: String,
    actor: String,
    action: String,
    change: String,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    number: String,
    title: String,
    period: String,
    output: String,
    post_base: String,
    occurrences: Vec<OccurrenceView>,
    can_write_evidence: bool,
    can_comment: bool,
    history: Vec<HistoryLine>,
    max_evidence_mb: usize,
    accept_types: &'static str,
}

fn button_label(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::Planned => "Вернуть в план",
        ActivityStatus::InProgress => "Начать выполнение",
        ActivityStatus::Done => "Отметить выполненным",
        ActivityStatus::Accepted => "Принять",
        ActivityStatus::Returned => "Вернуть на доработку",
    }
}

/// An audit record of an activity in words: «Выполнено → Принято», «файл «…» (SHA-256 …)».
fn describe_change(action: &str, before: Option<&str>, after: Option<&str>) -> String {
    let parse = |json: Option<&str>| {
        json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let (before, after) = (parse(before), parse(after));
    let text =
        |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    let status_label = |v: &serde_json::Value| {
        text(v, "status")
            .and_then(|code| ActivityStatus::parse(&code).ok())
            .map(|s| s.label().to_owned())
            .unwrap_or_else(|| "—".to_owned())
    };
    match action {
        "status" => {
            let mut line = format!("{} → {}", status_label(&before), status_label(&after));
            if let Some(comment) = text(&after, "comment") {
                line.push_str(&format!("; комментарий: «{comment}»"));
            }
            line
        }
        "evidence" => match (text(&after, "file"), text(&after, "link")) {
            (Some(file), _) => {
                let sha = text(&after, "sha256").unwrap_or_default();
                format!("файл «{file}», SHA-256 {sha}")
            }
            (None, Some(link)) => format!("ссылка {link}"),
            _ => String::new(),
        },
        "comment" => text(&after, "comment").unwrap_or_default(),
        _ => after.to_string(),
    }
}

fn action_label(action: &str) -> String {
    match action {
        "status" => "статус",
        "evidence" => "подтверждающий документ",
        "comment" => "комментарий",
        other => other,
    }
    .to_owned()
}

pub async fn activity(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, key)): PagePath<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Read, Resource::Progress, &place)?;
    let today = Utc::now().date_naive();
    let execution = model::load(&state.store, id, today).await?;
    let (section, index) = execution
        .road_map
        .position_of(key)
        .ok_or_else(|| WebError::NotFound("Такого мероприятия в дорожной карте нет.".to_owned()))?;
    let activity = execution
        .road_map
        .map
        .sections
        .get(section)
        .and_then(|s| s.activities.get(index))
        .ok_or_else(|| WebError::NotFound("Такого мероприятия в дорожной карте нет.".to_owned()))?;
    let can_execute = session.allows(Action::Write, Resource::Progress, &place);
    let can_review = session.allows(Action::Review, Resource::Progress, &place);
    let can_read_evidence = session.allows(Action::Read, Resource::Evidence, &place);
    let evidence_rows = if can_read_evidence {
        execution.evidence.clone()
    } else {
        Vec::new()
    };
    let comment_rows = if session.allows(Action::Read, Resource::Comment, &place) {
        state.store.comments_of(id).await?
    } else {
        Vec::new()
    };
    let occurrences = execution
        .occurrences
        .iter()
        .filter(|o| o.key.activity_key == key)
        .map(|o| {
            let moves = ActivityStatus::ALL
                .into_iter()
                .filter(|to| {
                    let allowed_by = |actor: Actor, may: bool| {
                        may && transition(o.status, *to, actor, "комментарий", true, false).is_ok()
                    };
                    allowed_by(Actor::Executor, can_execute)
                        || allowed_by(Actor::Reviewer, can_review)
                })
                .map(|to| (to.code(), button_label(to)))
                .collect();
            OccurrenceView {
                occurrence: o.key.occurrence.clone(),
                label: match o.due {
                    Some(due) if !o.key.occurrence.is_empty() => {
                        format!("Срок {}", format_date_short(due))
                    }
                    Some(due) => format!("Срок: до {}", format_date_short(due)),
                    None => "Срок не определён".to_owned(),
                },
                status: o.status,
                overdue: o.overdue,
                moves,
                evidence: evidence_rows
                    .iter()
                    .filter(|e| e.activity_key == key && e.occurrence == o.key.occurrence)
                    .map(|e| EvidenceView {
                        text: e
                            .file_name
                            .clone()
                            .or_else(|| e.url.clone())
                            .unwrap_or_default(),
                        href: match &e.url {
                            Some(url) => url.clone(),
                            None => format!("/evidence/{}", e.id),
                        },
                        meta: format!(
                            "{}, {}{}",
                            e.uploaded_by
                                .clone()
                                .unwrap_or_else(|| "система".to_owned()),
                            format_date_short(e.uploaded_at.date_naive()),
                            e.size_bytes
                                .map(|b| format!(", {} КБ", (b + 1023) / 1024))
                                .unwrap_or_default()
                        ),
                    })
                    .collect(),
                comments: comment_rows
                    .iter()
                    .filter(|c| c.activity_key == key && c.occurrence == o.key.occurrence)
                    .map(|c| CommentView {
                        author: c.author.clone().unwrap_or_else(|| "система".to_owned()),
                        at: c.created_at.format("%d.%m.%Y %H:%M").to_string(),
                        body: c.body.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let history = if session.allows(Action::Read, Resource::Audit, &place) {
        let mut lines = Vec::new();
        for entry in state.store.history_of_activity(id, key).await? {
            lines.push(HistoryLine {
                at: entry.at.format("%d.%m.%Y %H:%M").to_string(),
                actor: entry.actor,
                action: action_label(&entry.action),
                change: describe_change(
                    &entry.action,
                    entry.before_json.as_deref(),
                    entry.after_json.as_deref(),
                ),
            });
        }
        lines
    } else {
        Vec::new()
    };
    let mut crumbs = owner_crumbs(&state, &execution.road_map.owner).await?;
    crumbs.push(Crumb {
        label: "Исполнение".to_owned(),
        href: format!("/road-maps/{id}/execution"),
    });
    let page = ActivityPage {
        session: session.view(),
        crumbs,
        number: activity.number.clone().unwrap_or_default(),
        title: activity.title.clone(),
        period: activity
            .period
            .as_ref()
            .map(|p| p.text.clone())
            .unwrap_or_default(),
        output: activity.output.clone().unwrap_or_default(),
        post_base: format!("/road-maps/{id}/activities/{key}"),
        occurrences,
        can_write_evidence: session.allows(Action::Write, Resource::Evidence, &place),
        can_comment: session.allows(Action::Write, Resource::Comment, &place),
        history,
        max_evidence_mb: crate::limits::EVIDENCE_FILE_BYTES / 1024 / 1024,
        accept_types: evidence::ACCEPT,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    occurrence: String,
    status: String,
    #[serde(default)]
    comment: String,
}

/// The occurrence a form names, checked against the road map's current activities.
pub(super) async fn occurrence_of(
    state: &AppState,
    id: i64,
    key: i64,
    occurrence: &str,
) -> Result<model::Occurrence, WebError> {
    let execution = model::load(&state.store, id, Utc::now().date_naive()).await?;
    execution
        .occurrences
        .into_iter()
        .find(|o| o.key.activity_key == key && o.key.occurrence == occurrence)
        .ok_or_else(|| {
            WebError::NotFound("Такого мероприятия или срока в дорожной карте нет.".to_owned())
        })
}

fn back(id: i64, key: i64) -> Response {
    Redirect::to(&format!("/road-maps/{id}/activities/{key}")).into_response()
}

/// Moves a status: the executor (school) plans, starts and finishes; the reviewer (curator)
/// accepts or returns with a comment. The domain's transition rule decides; the permission check
/// decides who is which.
pub async fn set_status(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, key)): PagePath<(i64, i64)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    change_status(
        &state,
        &session,
        id,
        key,
        &form.occurrence,
        &form.status,
        &form.comment,
    )
    .await?;
    Ok(back(id, key))
}

/// The one way a status changes (pages and API): the permission check decides who acts as
/// executor or reviewer, the domain's transition rule decides whether the move is allowed.
pub(crate) async fn change_status(
    state: &AppState,
    session: &Session,
    id: i64,
    key: i64,
    occurrence: &str,
    status: &str,
    comment: &str,
) -> Result<ActivityStatus, WebError> {
    let place = places::road_map(&state.store, id).await?;
    let to = ActivityStatus::parse(status)
        .map_err(|_| WebError::BadRequest(format!("Статус «{status}» не распознан.")))?;
    let actor = orientir_domain::monitoring::actor_for(to);
    session.require(actor.action(), Resource::Progress, &place)?;
    let current = occurrence_of(state, id, key, occurrence).await?;
    transition(
        current.status,
        to,
        actor,
        comment,
        current.evidence > 0,
        current.needs_evidence,
    )
    .map_err(|e| WebError::BadRequest(format!("{e}.")))?;
    let comment = Some(comment.trim()).filter(|c| !c.is_empty());
    let result = session
        .store(&state.store)
        .set_status(&current.key, current.status.code(), to.code(), comment)
        .await;
    match result {
        Ok(()) => Ok(to),
        Err(StoreError::Conflict(message)) => Err(WebError::BadRequest(message)),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    occurrence: String,
    #[serde(default)]
    body: String,
}

/// Longest comment accepted.
const MAX_COMMENT_CHARS: usize = 4000;

pub async fn comment(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, key)): PagePath<(i64, i64)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, PageError> {
    add_comment(&state, &session, id, key, &form.occurrence, &form.body).await?;
    Ok(back(id, key))
}

/// Adds a comment to an activity occurrence's thread (pages and API).
pub(crate) async fn add_comment(
    state: &AppState,
    session: &Session,
    id: i64,
    key: i64,
    occurrence: &str,
    body: &str,
) -> Result<(), WebError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Write, Resource::Comment, &place)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(WebError::BadRequest("Комментарий пуст.".to_owned()));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(WebError::BadRequest(format!(
            "Комментарий длиннее {MAX_COMMENT_CHARS} знаков."
        )));
    }
    let current = occurrence_of(state, id, key, occurrence).await?;
    session
        .store(&state.store)
        .add_comment(&current.key, body)
        .await?;
    Ok(())
}

pub(super) fn require_read_evidence(
    session: &Session,
    place: &orientir_domain::access::Place,
) -> Result<(), WebError> {
    session.require(Action::Read, Resource::Evidence, place)
}
