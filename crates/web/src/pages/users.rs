//! Пользователи: regional coordinators (Write on Users at their region) list the accounts of
//! their regions with their roles, and create an account: login, full name, one role and where it
//! applies (the region, a municipality or a school of it). The password is typed or generated; a
//! generated one is shown once, on the result page, and never stored in clear.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use orientir_domain::access::{Action, Place, Resource};
use orientir_domain::registry::{Role, Scope};
use orientir_store::{NewUser, StoreError};
use serde::Deserialize;

use crate::auth::credentials::{generate_password, hash_password, password_problem};
use crate::auth::{Auth, Session, SessionView, places};
use crate::error::PageError;
use crate::view::SelectOption;
use crate::{AppState, WebError};

/// Longest login and full name accepted.
const MAX_LOGIN_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 200;

struct AccountLine {
    id: i64,
    login: String,
    full_name: String,
    disabled: bool,
    roles: Vec<String>,
}

/// A group of the scope select: «Регион», «Муниципалитеты», «Школы».
struct ScopeGroup {
    label: String,
    options: Vec<SelectOption>,
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    session: SessionView,
    accounts: Vec<AccountLine>,
    roles: Vec<SelectOption>,
    scopes: Vec<ScopeGroup>,
    fields: NewUserForm,
    error: Option<(&'static str, String)>,
    /// The «another role» form: what was typed and why it was refused.
    grant: GrantForm,
    grant_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

impl UsersPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|(f, _)| *f == field)
    }
}

#[derive(Template)]
#[template(path = "users_created.html")]
struct CreatedPage {
    session: SessionView,
    login: String,
    full_name: String,
    role: &'static str,
    scope: String,
    /// The generated password, shown this once.
    password: Option<String>,
}

/// The regions whose accounts the user administers; refuses a user who administers none.
async fn administered_regions(
    state: &AppState,
    session: &Session,
) -> Result<Vec<(i64, String)>, WebError> {
    let regions = state.store.regions().await?;
    let mine: Vec<(i64, String)> = regions
        .iter()
        .filter(|r| session.allows(Action::Write, Resource::Users, &Place::region(r.id)))
        .map(|r| (r.id, r.name.clone()))
        .collect();
    if mine.is_empty() {
        return Err(WebError::Forbidden(
            "Недостаточно прав: учётными записями управляет региональный координатор.".to_owned(),
        ));
    }
    Ok(mine)
}

fn scope_label(scope: &Scope, name: &str) -> String {
    match scope {
        Scope::Region(_) => format!("регион «{name}»"),
        Scope::Municipality(_) => format!("муниципалитет «{name}»"),
        Scope::School(id) => format!("школа «{name}» ({id})"),
    }
}

async fn render(
    state: &AppState,
    session: &Session,
    fields: NewUserForm,
    error: Option<(&'static str, String)>,
) -> Result<Response, WebError> {
    render_with(state, session, fields, error, GrantForm::default(), None).await
}

async fn render_with(
    state: &AppState,
    session: &Session,
    fields: NewUserForm,
    error: Option<(&'static str, String)>,
    grant: GrantForm,
    grant_error: Option<String>,
) -> Result<Response, WebError> {
    let regions = administered_regions(state, session).await?;
    let region_ids: Vec<i64> = regions.iter().map(|(id, _)| *id).collect();
    let accounts = state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.roles.is_empty() || a.roles.iter().any(|r| region_ids.contains(&r.region_id)))
        .map(|a| AccountLine {
            id: a.id,
            roles: a
                .roles
                .iter()
                .map(|r| {
                    format!(
                        "{}: {}",
                        r.role.label(),
                        scope_label(&r.scope, &r.scope_name)
                    )
                })
                .collect(),
            login: a.login,
            full_name: a.full_name,
            disabled: a.disabled,
        })
        .collect();
    let chosen = fields.scope.trim();
    let mut scopes = Vec::new();
    for (region, name) in &regions {
        let value = format!("region:{region}");
        scopes.push(ScopeGroup {
            label: format!("Регион «{name}»"),
            options: vec![SelectOption::new(
                value.clone(),
                format!("Весь регион: {name}"),
                value == chosen,
            )],
        });
        let municipalities = state.store.municipality_overview(*region, None).await?;
        scopes.push(ScopeGroup {
            label: format!("Муниципалитеты региона «{name}»"),
            options: municipalities
                .iter()
                .map(|m| {
                    let value = format!("municipality:{}", m.id);
                    let selected = value == chosen;
                    SelectOption::new(value, m.name.clone(), selected)
                })
                .collect(),
        });
        let mut schools = state.store.region_schools(*region).await?;
        schools.sort_by(|a, b| {
            (a.municipality_name.as_str(), a.name.as_str())
                .cmp(&(b.municipality_name.as_str(), b.name.as_str()))
        });
        scopes.push(ScopeGroup {
            label: format!("Школы региона «{name}»"),
            options: schools
                .iter()
                .map(|s| {
                    let value = format!("school:{}", s.id);
                    let selected = value == chosen;
                    SelectOption::new(
                        value,
                        format!("{} ({})", s.name, s.municipality_name),
                        selected,
                    )
                })
                .collect(),
        });
    }
    let roles = Role::ALL
        .into_iter()
        .map(|r| SelectOption::new(r.code(), r.label(), r.code() == fields.role.trim()))
        .collect();
    let status = if error.is_some() || grant_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = UsersPage {
        session: session.view(),
        accounts,
        roles,
        scopes,
        fields,
        error,
        grant,
        grant_error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Result<Response, PageError> {
    Ok(render(&state, &session, NewUserForm::default(), None).await?)
}

/// Why a role cannot apply at a scope, in Russian.
fn role_scope_problem(role: Role, scope: &Scope) -> Option<String> {
    let wanted = match (role, scope) {
        (Role::RegionalCoordinator, Scope::Region(_))
        | (Role::MunicipalCoordinator, Scope::Municipality(_))
        | (Role::SchoolLead, Scope::School(_))
        | (Role::Curator, Scope::Region(_) | Scope::Municipality(_))
        | (Role::Reviewer | Role::Observer, _) => return None,
        (Role::RegionalCoordinator, _) => "регион",
        (Role::MunicipalCoordinator, _) => "муниципалитет",
        (Role::SchoolLead, _) => "школу",
        (Role::Curator, Scope::School(_)) => {
            return Some(
                "Куратора назначают на муниципалитет или регион; конкретные школы ему поручает \
                 координатор на карточке школы (раздел «Сопровождение»)."
                    .to_owned(),
            );
        }
    };
    Some(format!(
        "Роль «{}» назначается на {wanted}: выберите {wanted} в поле «Где действует роль».",
        role.label()
    ))
}

/// The form checked field by field: (login, full name, role, scope).
fn check(form: &NewUserForm) -> Result<(String, String, Role, Scope), (&'static str, String)> {
    let login = form.login.trim();
    if login.is_empty() {
        return Err(("login", "Укажите логин.".to_owned()));
    }
    if login.contains(char::is_whitespace) {
        return Err((
            "login",
            format!("Логин «{login}» содержит пробел: логин пишется одним словом."),
        ));
    }
    if login.chars().count() > MAX_LOGIN_CHARS {
        return Err(("login", format!("Логин длиннее {MAX_LOGIN_CHARS} знаков.")));
    }
    let full_name = form
        .full_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if full_name.is_empty() {
        return Err(("full_name", "Укажите фамилию, имя и отчество.".to_owned()));
    }
    if full_name.chars().count() > MAX_NAME_CHARS {
        return Err(("full_name", format!("ФИО длиннее {MAX_NAME_CHARS} знаков.")));
    }
    let role = Role::parse(&form.role).map_err(|_| ("role", "Выберите роль.".to_owned()))?;
    let scope = Scope::parse(&form.scope)
        .map_err(|_| ("scope", "Выберите, где действует роль.".to_owned()))?;
    if let Some(problem) = role_scope_problem(role, &scope) {
        return Err(("scope", problem));
    }
    if let Some(problem) = Some(&form.password)
        .filter(|p| !p.is_empty())
        .and_then(|p| password_problem(p))
    {
        return Err(("password", problem));
    }
    Ok((login.to_owned(), full_name, role, scope))
}

/// Creates the account; shows the generated password once. Bad input re-renders the form (422).
pub async fn create(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(mut form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    administered_regions(&state, &session).await?;
    let (login, full_name, role, scope) = match check(&form) {
        Ok(checked) => checked,
        Err(error) => {
            form.password.clear();
            return Ok(render(&state, &session, form, Some(error)).await?);
        }
    };
    let place = match places::owner(&state.store, &scope).await {
        Ok(place) => place,
        Err(WebError::NotFound(_)) => {
            form.password.clear();
            let error = (
                "scope",
                "Такого региона, муниципалитета или школы нет.".to_owned(),
            );
            return Ok(render(&state, &session, form, Some(error)).await?);
        }
        Err(other) => return Err(other.into()),
    };
    session.require(
        Action::Write,
        Resource::Users,
        &Place::region(place.region_id()),
    )?;
    let (password, generated) = if form.password.is_empty() {
        (generate_password(), true)
    } else {
        (std::mem::take(&mut form.password), false)
    };
    let hash = hash_password(&password)?;
    let result = session
        .store(&state.store)
        .add_user(&NewUser {
            login: &login,
            full_name: &full_name,
            role,
            scope: &scope,
            password_hash: &hash,
        })
        .await;
    match result {
        Ok(_) => {}
        Err(StoreError::Conflict(message)) => {
            form.password.clear();
            let mut chars = message.chars();
            let message = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>() + ".")
                .unwrap_or_default();
            return Ok(render(&state, &session, form, Some(("login", message))).await?);
        }
        Err(other) => return Err(WebError::from(other).into()),
    }
    let scope_name = match &scope {
        Scope::Region(id) => state.store.region(*id).await?.map(|r| r.name),
        Scope::Municipality(id) => state.store.municipality(*id).await?.map(|m| m.name),
        Scope::School(id) => state.store.school(id).await?.map(|s| s.name),
    }
    .unwrap_or_default();
    let page = CreatedPage {
        session: session.view(),
        login,
        full_name,
        role: role.label(),
        scope: scope_label(&scope, &scope_name),
        password: generated.then_some(password),
    };
    // The page holds a password: no cache may keep it.
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Html(page.render()?),
    )
        .into_response())
}

/// Gives an existing account another role (e.g. a school lead who also curates). Bad input
/// re-renders the page with the reason (422).
pub async fn grant(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(form): Form<GrantForm>,
) -> Result<Response, PageError> {
    administered_regions(&state, &session).await?;
    let refuse = |form: GrantForm, message: String| {
        let state = state.clone();
        let session = session.clone();
        async move {
            render_with(
                &state,
                &session,
                NewUserForm::default(),
                None,
                form,
                Some(message),
            )
            .await
        }
    };
    let Ok(user_id) = form.account.trim().parse::<i64>() else {
        return Ok(refuse(form, "Выберите учётную запись.".to_owned()).await?);
    };
    let Ok(role) = Role::parse(&form.role) else {
        return Ok(refuse(form, "Выберите роль.".to_owned()).await?);
    };
    let Ok(scope) = Scope::parse(&form.scope) else {
        return Ok(refuse(form, "Выберите, где действует роль.".to_owned()).await?);
    };
    if let Some(problem) = role_scope_problem(role, &scope) {
        return Ok(refuse(form, problem).await?);
    }
    let place = match places::owner(&state.store, &scope).await {
        Ok(place) => place,
        Err(WebError::NotFound(_)) => {
            let message = "Такого региона, муниципалитета или школы нет.".to_owned();
            return Ok(refuse(form, message).await?);
        }
        Err(other) => return Err(other.into()),
    };
    session.require(
        Action::Write,
        Resource::Users,
        &Place::region(place.region_id()),
    )?;
    match session
        .store(&state.store)
        .grant_role(user_id, role, &scope)
        .await
    {
        Ok(()) => Ok(axum::response::Redirect::to("/users#accounts").into_response()),
        Err(StoreError::Conflict(message)) => {
            Ok(refuse(form, format!("Роль не добавлена: {message}.")).await?)
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    disabled: String,
}

/// Disables (`disabled=1`) or enables (`disabled=0`) an account of an administered region; one
/// cannot disable oneself.
pub async fn set_disabled(
    State(state): State<AppState>,
    Auth(session): Auth,
    crate::extract::PagePath(id): crate::extract::PagePath<i64>,
    Form(form): Form<DisableForm>,
) -> Result<Response, PageError> {
    let regions: Vec<i64> = administered_regions(&state, &session)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let disabled = match form.disabled.as_str() {
        "1" => true,
        "0" => false,
        other => {
            return Err(WebError::BadRequest(format!(
                "Значение «{other}» не распознано: ожидается 1 (отключить) или 0 (включить)."
            ))
            .into());
        }
    };
    if disabled && id == session.user_id() {
        return Err(
            WebError::BadRequest("Свою учётную запись отключить нельзя.".to_owned()).into(),
        );
    }
    let account = state
        .store
        .accounts()
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| WebError::NotFound(format!("Учётная запись № {id} не найдена.")))?;
    // Only accounts whose every role lies in a region the user administers.
    if account
        .roles
        .iter()
        .any(|r| !regions.contains(&r.region_id))
    {
        return Err(WebError::Forbidden(
            "Недостаточно прав: у учётной записи есть роли в другом регионе.".to_owned(),
        )
        .into());
    }
    session
        .store(&state.store)
        .set_disabled(id, disabled)
        .await?;
    Ok(axum::response::Redirect::to("/users#accounts").into_response())
}
