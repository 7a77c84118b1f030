//! The start page: each user goes to the widest place they may see — the region, their
//! municipality or their school; a user with places in several regions gets a list.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::access::{Action, Resource};
use orientir_store::RegionRow;

use crate::AppState;
use crate::auth::{Auth, SessionView};
use crate::error::PageError;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    session: SessionView,
    regions: Vec<RegionRow>,
}

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Result<Response, PageError> {
    let mut regions = state.store.regions().await?;
    regions.retain(|region| {
        session.allows(
            Action::Read,
            Resource::Overview,
            &orientir_domain::access::Place::region(region.id),
        )
    });
    if let [only] = regions.as_slice() {
        return Ok(Redirect::to(&format!("/regions/{}", only.id)).into_response());
    }
    if regions.is_empty() {
        // Not a regional user: their own dashboard dispatches by role.
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let page = HomePage {
        session: session.view(),
        regions,
    };
    Ok(Html(page.render()?).into_response())
}
