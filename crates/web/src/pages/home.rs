//! The start page: straight to the region when there is one, a list when there are several, and
//! what to do when the database is empty.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_store::RegionRow;

use crate::AppState;
use crate::error::PageError;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    regions: Vec<RegionRow>,
}

pub async fn page(State(state): State<AppState>) -> Result<Response, PageError> {
    let regions = state.store.regions().await?;
    if let [only] = regions.as_slice() {
        return Ok(Redirect::to(&format!("/regions/{}", only.id)).into_response());
    }
    Ok(Html(HomePage { regions }.render()?).into_response())
}
