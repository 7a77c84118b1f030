//! For tests of this crate and the binary: accounts with live sessions made directly in the store
//! (no sign-in form), and a router that sends every request as that user.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use orientir_domain::registry::{Role, Scope};
use orientir_store::{NewUser, Store};

use crate::WebError;
use crate::auth::credentials::{hash_password, new_token, sha256_hex};
use crate::auth::{CSRF_HEADER, SESSION_COOKIE};

/// The password of every account `user` makes.
pub const PASSWORD: &str = "пароль-для-тестов";

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub login: String,
    /// `orientir_session=…`, for the Cookie header.
    pub cookie: String,
    pub csrf: String,
    /// A personal API token of the user.
    pub api_token: String,
}

/// Creates an account with one role, a session and an API token.
pub async fn user(
    store: &Store,
    login: &str,
    role: Role,
    scope: &Scope,
) -> Result<TestUser, WebError> {
    let id = store
        .add_user(&NewUser {
            login,
            full_name: login,
            role,
            scope,
            password_hash: &hash_password(PASSWORD)?,
        })
        .await?;
    session(store, id, login).await
}

/// A new session (and API token) of an existing account.
pub async fn session(store: &Store, id: i64, login: &str) -> Result<TestUser, WebError> {
    let token = new_token();
    let csrf = new_token();
    store
        .start_session(&sha256_hex(token.as_bytes()), id, &csrf)
        .await?;
    let api_token = new_token();
    store
        .add_api_token(id, "tests", &sha256_hex(api_token.as_bytes()))
        .await?;
    Ok(TestUser {
        id,
        login: login.to_owned(),
        cookie: format!("{SESSION_COOKIE}={token}"),
        csrf,
        api_token,
    })
}

/// The application as `user` sees it: every request carries the session cookie and the CSRF
/// header (requests that already name a cookie keep theirs).
pub fn as_user(app: Router, user: &TestUser) -> Router {
    let cookie = HeaderValue::from_str(&user.cookie).ok();
    let csrf = HeaderValue::from_str(&user.csrf).ok();
    let layer = tower::util::MapRequestLayer::new(move |mut request: Request<Body>| {
        let headers = request.headers_mut();
        if let (Some(cookie), false) = (&cookie, headers.contains_key(header::COOKIE)) {
            headers.insert(header::COOKIE, cookie.clone());
        }
        if let (Some(csrf), false) = (&csrf, headers.contains_key(CSRF_HEADER)) {
            headers.insert(CSRF_HEADER, csrf.clone());
        }
        request
    });
    app.layer(layer)
}
