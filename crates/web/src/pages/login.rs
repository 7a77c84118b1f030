//! Signing in and out, and changing one's password. The sign-in form is protected against CSRF by
//! a double-submit cookie (there is no session yet); a successful sign-in always starts a new
//! session with a new token, so a session id planted before sign-in is worthless (no fixation).
//! Five failed attempts for a login within a minute throttle the next ones.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use crate::auth::credentials::{
    hash_password, new_token, password_problem, sha256_hex, verify_password,
};
use crate::auth::{Auth, MaybeAuth, SESSION_COOKIE, SessionView, cookie};
use crate::error::PageError;
use crate::{AppState, WebError};

/// The double-submit cookie of the sign-in form.
const LOGIN_CSRF_COOKIE: &str = "orientir_login_csrf";
/// Failed sign-ins of one login allowed within `THROTTLE_WINDOW_SECONDS`; the next are refused.
pub const MAX_FAILURES: i64 = 5;
const THROTTLE_WINDOW_SECONDS: i64 = 60;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    session: SessionView,
    /// The registry is empty: nobody can sign in yet, so say how to begin.
    empty: bool,
    login: String,
    next: String,
    csrf: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// Only a path of this site: `//evil.example` or `https://…` would send the user away.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

/// Set `ORIENTIR_SECURE_COOKIES=1` when Orientir is served over HTTPS (behind a proxy): the
/// session cookie is then never sent over plain HTTP.
fn secure_attribute() -> &'static str {
    if std::env::var("ORIENTIR_SECURE_COOKIES").is_ok_and(|v| v == "1") {
        "; Secure"
    } else {
        ""
    }
}

fn session_cookie(token: &str, max_age_seconds: i64) -> HeaderValue {
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{}",
        secure_attribute()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn render_login(
    state: &AppState,
    login: String,
    next: &str,
    error: Option<String>,
    status: axum::http::StatusCode,
) -> Result<Response, PageError> {
    let csrf = new_token();
    let page = LoginPage {
        session: SessionView::default(),
        empty: state.store.is_empty().await?,
        login,
        next: safe_next(next).to_owned(),
        csrf: csrf.clone(),
        error,
    };
    let cookie = format!("{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict");
    let mut response = (status, Html(page.render()?)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn form(
    State(state): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    if session.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    render_login(
        &state,
        String::new(),
        &query.next,
        None,
        axum::http::StatusCode::OK,
    )
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    use axum::http::StatusCode;
    let login = form.login.trim().to_owned();
    let planted = cookie(&headers, LOGIN_CSRF_COOKIE);
    if form.csrf.is_empty() || planted.as_deref() != Some(form.csrf.as_str()) {
        let message = "Форма входа устарела. Введите логин и пароль ещё раз.".to_owned();
        return render_login(
            &state,
            login,
            &form.next,
            Some(message),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let window = Duration::seconds(THROTTLE_WINDOW_SECONDS);
    if state.store.recent_login_failures(&login, window).await? >= MAX_FAILURES {
        let message = "Слишком много неудачных попыток входа. Подождите минуту и попробуйте снова."
            .to_owned();
        return render_login(
            &state,
            login,
            &form.next,
            Some(message),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let user = state.store.credentials(&login).await?;
    let verified = match &user {
        Some(user) if !user.disabled => verify_password(&form.password, &user.password_hash),
        // Hash anyway so a missing login takes as long as a wrong password.
        _ => {
            let _ = verify_password(&form.password, dummy_hash());
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        state.store.record_login_failure(&login).await?;
        let message = "Неверный логин или пароль.".to_owned();
        return render_login(
            &state,
            login,
            &form.next,
            Some(message),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    };
    state.store.clear_login_failures(&login).await?;
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(&sha256_hex(old.as_bytes())).await?;
    }
    let token = new_token();
    state
        .store
        .start_session(&sha256_hex(token.as_bytes()), user.id, &new_token())
        .await?;
    let mut response = Redirect::to(safe_next(&form.next)).into_response();
    let max_age = orientir_store::SESSION_DAYS * 24 * 3600;
    response
        .headers_mut()
        .append(SET_COOKIE, session_cookie(&token, max_age));
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_static("orientir_login_csrf=; Path=/login; Max-Age=0"),
    );
    Ok(response)
}

/// An argon2id hash of a random string, verified against when the login does not exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

pub async fn logout(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Result<Response, PageError> {
    if let Some(hash) = &session.token_hash {
        state.store.end_session(hash).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, session_cookie("", 0));
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    session: SessionView,
    error: Option<String>,
    done: bool,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn password_form(Auth(session): Auth) -> Result<Html<String>, PageError> {
    let page = PasswordPage {
        session: session.view(),
        error: None,
        done: false,
    };
    Ok(Html(page.render()?))
}

/// Changes the password; the user's other sessions end, this one stays.
pub async fn change_password(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let user = state
        .store
        .credentials_by_id(session.user_id())
        .await?
        .ok_or(WebError::Unauthorized)?;
    let error = if !verify_password(&form.current, &user.password_hash) {
        Some("Текущий пароль введён неверно.".to_owned())
    } else if form.new != form.repeat {
        Some("Новый пароль и повтор не совпадают.".to_owned())
    } else {
        password_problem(&form.new)
    };
    if error.is_none() {
        let hash = hash_password(&form.new)?;
        let keep = session.token_hash.clone().unwrap_or_default();
        session
            .store(&state.store)
            .change_password(session.user_id(), &hash, &keep)
            .await?;
    }
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let page = PasswordPage {
        session: session.view(),
        done: error.is_none(),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}
