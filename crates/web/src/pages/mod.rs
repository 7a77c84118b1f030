//! Server-rendered pages, one module per page family: the handler, its query and its view model
//! together; templates live in `templates/`.

mod home;
mod municipality;
mod region;
mod road_map;
mod school;
mod timeline;
mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/regions/{id}", get(region::page))
        .route("/municipalities/{id}", get(municipality::page))
        .route("/schools/{id}", get(school::page))
        .route("/road-maps/new", get(upload::form))
        .route(
            "/road-maps/preview",
            post(upload::preview).layer(DefaultBodyLimit::max(upload::MAX_UPLOAD_BYTES)),
        )
        .route(
            "/road-maps",
            post(upload::save).layer(DefaultBodyLimit::max(upload::MAX_UPLOAD_BYTES)),
        )
        .route("/road-maps/{id}", get(road_map::page))
        .route("/road-maps/{id}/export/{format}", get(road_map::export))
}
