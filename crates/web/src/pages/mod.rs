//! Server-rendered pages, one module per page family: the handler, its query and its view model
//! together; templates live in `templates/`.

mod activity_form;
mod curation;
pub(crate) mod dashboard;
mod derive;
pub(crate) mod execution;
mod home;
mod identification;
mod login;
mod municipality;
mod region;
mod road_map;
mod school;
mod school_results;
mod timeline;
mod upload;
mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub use dashboard::{DashboardCache, freeze_due};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route(
            "/account/password",
            get(login::password_form).post(login::change_password),
        )
        .route("/identification", get(identification::page))
        .route("/identification/save", post(identification::save))
        .route("/identification/export.xlsx", get(identification::export))
        .route("/regions/{id}", get(region::page))
        .route("/municipalities/{id}", get(municipality::page))
        .route("/schools/{id}", get(school::page))
        .route(
            "/schools/{id}/curators",
            get(curation::curators_page).post(curation::assign),
        )
        .route(
            "/schools/{id}/curators/{user}/remove",
            post(curation::unassign),
        )
        .route(
            "/schools/{id}/agreements/new",
            get(curation::agreement_form),
        )
        .route("/schools/{id}/agreements", post(curation::create_agreement))
        .route("/schools/{id}/visits/new", get(curation::visit_form))
        .route("/schools/{id}/visits", post(curation::plan_visit))
        .route(
            "/visits/{id}",
            get(curation::record_form).post(curation::record_visit),
        )
        .route("/users", get(users::page).post(users::create))
        .route("/users/roles", post(users::grant))
        .route("/users/{id}/disabled", post(users::set_disabled))
        .route("/road-maps/new", get(upload::form))
        // Body limits of these routes are in `crate::limits`, the one place that sets them.
        .route("/road-maps/preview", post(upload::preview))
        .route("/road-maps", post(upload::save))
        .route("/road-maps/{id}", get(road_map::page))
        .route("/road-maps/{id}/approve", post(activity_form::approve))
        .route(
            "/road-maps/{id}/derive",
            get(derive::form).post(derive::create),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities",
            post(activity_form::add),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities/new",
            get(activity_form::new_form),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities/{index}",
            post(activity_form::update),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities/{index}/edit",
            get(activity_form::edit_form),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities/{index}/delete",
            post(activity_form::delete),
        )
        .route(
            "/road-maps/{id}/sections/{section}/activities/{index}/move",
            post(activity_form::move_activity),
        )
        .route("/road-maps/{id}/export/{format}", get(road_map::export))
        .route("/road-maps/{id}/execution", get(execution::page))
        .route("/road-maps/{id}/activities/{key}", get(execution::activity))
        .route(
            "/road-maps/{id}/activities/{key}/status",
            post(execution::set_status),
        )
        .route(
            "/road-maps/{id}/activities/{key}/comments",
            post(execution::comment),
        )
        .route(
            "/road-maps/{id}/activities/{key}/evidence",
            post(execution::upload),
        )
        .route("/evidence/{id}", get(execution::download))
        .route("/dashboard", get(dashboard::mine))
        .route("/dashboard/curator", get(dashboard::curator_page))
        .route(
            "/dashboard/curator/export.xlsx",
            get(dashboard::curator_export),
        )
        .route("/dashboard/schools/{id}", get(dashboard::school_page))
        .route(
            "/dashboard/schools/{id}/export.xlsx",
            get(dashboard::school_export),
        )
        .route(
            "/dashboard/municipalities/{id}",
            get(dashboard::municipality_page),
        )
        .route(
            "/dashboard/municipalities/{id}/export.xlsx",
            get(dashboard::municipality_export),
        )
        .route("/dashboard/regions/{id}", get(dashboard::region_page))
        .route(
            "/dashboard/regions/{id}/export.xlsx",
            get(dashboard::region_export),
        )
        .route(
            "/municipalities/{id}/checkpoints",
            post(dashboard::add_checkpoint),
        )
        .route("/checkpoints/{id}", get(dashboard::checkpoint_page))
        .route("/checkpoints/{id}/recompute", post(dashboard::recompute))
}
