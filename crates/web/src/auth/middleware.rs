//! The layer in front of every route: finds the session (cookie) or API token (bearer) and puts
//! the `Session` into the request; refuses a state-changing request of a cookie session that does
//! not carry the session's CSRF token.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::credentials::sha256_hex;
use super::{SESSION_COOKIE, Session, csrf};
use crate::error::{ApiError, PageError};
use crate::{AppState, WebError, limits};

/// A body declared too large is still read (and thrown away) up to this size before the refusal
/// is sent: a browser that is cut off mid-upload shows «connection reset», not our message.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;
/// How long a body may take to arrive (a 20 MB upload at about 1 Mbit/s).
const BODY_SECONDS: u64 = 180;

pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match resolve(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(err) => {
            if err.1 {
                ApiError(err.0).into_response()
            } else {
                PageError(err.0).into_response()
            }
        }
    }
}

/// The request with its `Session`, or the error and whether to answer it as JSON.
async fn resolve(state: &AppState, request: Request) -> Result<Request, (WebError, bool)> {
    let is_api = request.uri().path().starts_with("/api/");
    let fail = |err: WebError| (err, is_api);
    let (mut parts, body) = request.into_parts();
    let limit = limits::for_request(&parts);
    if declared_length(&parts.headers).is_some_and(|length| length > limit.bytes) {
        drain(body).await;
        return Err(fail(WebError::TooLarge(limit.message())));
    }
    let too_large = || fail(WebError::TooLarge(limit.message()));
    // Whoever reads the body later (a handler's extractor) meets the same limit.
    let body = Body::new(http_body_util::Limited::new(body, limit.bytes));
    let session = find_session(state, &parts.headers).await.map_err(fail)?;
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = match (&session, unsafe_method) {
        (
            Some(Session {
                csrf: Some(expected),
                ..
            }),
            true,
        ) => {
            let refused = || {
                fail(WebError::Forbidden(
                    "Форма устарела или отправлена не со страницы Ориентира. Обновите страницу \
                     и повторите действие."
                        .to_owned(),
                ))
            };
            // A script sends the header: the body streams on untouched. A form carries the
            // token inside the body, which must then be read first.
            if let Some(token) = csrf::from_header(&parts.headers) {
                if !csrf::same(&token, expected) {
                    return Err(refused());
                }
                body
            } else {
                let read = tokio::time::timeout(
                    Duration::from_secs(BODY_SECONDS),
                    axum::body::to_bytes(body, limit.bytes),
                );
                let bytes = match read.await {
                    Ok(Ok(bytes)) => bytes,
                    Ok(Err(_)) => return Err(too_large()),
                    Err(_) => {
                        return Err(fail(WebError::BadRequest(
                            "Форма передавалась слишком долго и не была принята. Повторите \
                             отправку."
                                .to_owned(),
                        )));
                    }
                };
                let sent = csrf::from_body(&parts.headers, &bytes).await;
                if !sent.is_some_and(|token| csrf::same(&token, expected)) {
                    return Err(refused());
                }
                Body::from(bytes)
            }
        }
        _ => body,
    };
    if let Some(session) = session {
        parts.extensions.insert(session);
    }
    Ok(Request::from_parts(parts, body))
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads and drops a refused body, up to `DRAIN_BYTES` and for a few seconds at most.
async fn drain(body: Body) {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut read = 0usize;
    let reading = async {
        while let Some(Ok(frame)) = body.frame().await {
            read += frame.data_ref().map_or(0, |data| data.len());
            if read > DRAIN_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), reading).await;
}

async fn find_session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, WebError> {
    if let Some(token) = bearer(headers) {
        let Some((user_id, login)) = state
            .store
            .api_token_user(&sha256_hex(token.as_bytes()))
            .await?
        else {
            return Err(WebError::Unauthorized);
        };
        let principal = state.store.principal(user_id, &login).await?;
        return Ok(Some(Session {
            principal: Arc::new(principal),
            csrf: None,
            token_hash: None,
        }));
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = sha256_hex(token.as_bytes());
    let Some(row) = state.store.session(&token_hash).await? else {
        return Ok(None);
    };
    let principal = state.store.principal(row.user_id, &row.login).await?;
    Ok(Some(Session {
        principal: Arc::new(principal),
        csrf: Some(row.csrf_token),
        token_hash: Some(token_hash),
    }))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .map(|token| token.trim().to_owned())
}

/// The value of a cookie by name.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}
