//! Orientir's web application: server-rendered pages in Russian (every page works without
//! JavaScript), the JSON API under `/api/v1` with its OpenAPI document, and the error pages.
//!
//! `app(store)` builds the whole router; `main` and the tests use the same function.

mod api;
mod api_execution;
mod assets;
pub mod auth;
mod demo;
mod error;
mod extract;
pub mod headers;
mod heavy;
mod limits;
mod pages;
mod query;
pub mod server;
pub mod testing;
mod view;

use axum::Router;
use axum::routing::get;
use orientir_store::Store;

pub use api::openapi_document;
pub use demo::seed_demo_progress;
pub use error::WebError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Computed dashboards, valid within one store generation (see `pages::dashboard`).
    dashboards: std::sync::Arc<pages::DashboardCache>,
}

/// Takes the first snapshot of every checkpoint whose date has come; the server runs it hourly
/// (pages also take it, at the latest, when the checkpoint is first looked at).
pub async fn freeze_due_checkpoints(store: &Store) -> Result<usize, WebError> {
    pages::freeze_due(store).await
}

/// The whole application: pages, API, OpenAPI document, static assets, health check, error pages.
pub fn app(store: Store) -> Router {
    let state = AppState {
        store,
        dashboards: std::sync::Arc::new(pages::DashboardCache::new()),
    };
    // Served over HTTPS (behind a proxy) exactly when cookies are marked `Secure`.
    let hsts = std::env::var("ORIENTIR_SECURE_COOKIES").is_ok_and(|v| v == "1");
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi_json = std::sync::Arc::new(openapi);
    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = openapi_json.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        // Static assets need no session: served before the session lookup.
        .merge(assets::router())
        // The one body limit is the route's, enforced by `auth::authenticate` (see `limits`).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(move |request, next| {
            headers::apply(hsts, request, next)
        }))
        .with_state(state)
}
