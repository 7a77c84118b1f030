//! Who is asking, and may they: sessions (cookie) and personal API tokens (`Authorization:
//! Bearer`), CSRF tokens on every state-changing request, and the one permission check every
//! handler calls through `Session::require`.

pub mod credentials;
mod csrf;
mod middleware;
pub mod places;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use orientir_domain::access::{self, Action, Place, Principal, Resource};
use orientir_store::{Actor, Store};

use crate::WebError;
use crate::error::ApiError;

pub use middleware::{authenticate, cookie};

/// The session cookie's name; the cookie holds a random token whose SHA-256 the database keeps.
pub const SESSION_COOKIE: &str = "orientir_session";
/// The header a script or API client sends the CSRF token in (forms send the `csrf` field).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field of the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// A signed-in user on this request.
#[derive(Clone)]
pub struct Session {
    pub principal: Arc<Principal>,
    /// The form token of a cookie session; `None` for API-token requests (no cookie, no CSRF).
    pub csrf: Option<String>,
    /// The hash of the session token, to end or keep this session.
    pub token_hash: Option<String>,
}

impl Session {
    pub fn user_id(&self) -> i64 {
        self.principal.user_id
    }

    pub fn login(&self) -> &str {
        &self.principal.login
    }

    /// The one permission check: every page and API handler asks it before reading or writing.
    pub fn require(
        &self,
        action: Action,
        resource: Resource,
        place: &Place,
    ) -> Result<(), WebError> {
        access::check(&self.principal, action, resource, place)
            .map_err(|denied| WebError::Forbidden(denied.to_string()))
    }

    pub fn allows(&self, action: Action, resource: Resource, place: &Place) -> bool {
        access::allows(&self.principal, action, resource, place)
    }

    /// The store recording this user as the author of the changes it writes.
    pub fn store(&self, store: &Store) -> Store {
        store.acting_as(Actor::user(self.user_id(), self.login()))
    }

    /// What the page frame shows: who is signed in, and the token its forms carry.
    pub fn view(&self) -> SessionView {
        let manages_users = self.principal.grants.iter().any(|g| {
            self.allows(
                Action::Write,
                Resource::Users,
                &Place::region(g.place.region_id()),
            )
        });
        SessionView {
            login: self.login().to_owned(),
            csrf: self.csrf.clone().unwrap_or_default(),
            manages_users,
        }
    }
}

/// The page frame's part of a session.
#[derive(Debug, Clone, Default)]
pub struct SessionView {
    pub login: String,
    pub csrf: String,
    /// Shows the «Пользователи» link (accounts are managed by regional coordinators).
    pub manages_users: bool,
}

/// A handler argument that requires a signed-in user: pages send the visitor to the sign-in page
/// (and back afterwards), the API answers 401.
pub struct Auth(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(Self(session.clone()));
        }
        if parts.uri.path().starts_with("/api/") {
            return Err(ApiError(WebError::Unauthorized).into_response());
        }
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
        Err(Redirect::to(&format!("/login?{query}")).into_response())
    }
}

/// The session if there is one: for pages anyone may open (sign-in, errors).
pub struct MaybeAuth(pub Option<Session>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Session>().cloned()))
    }
}
