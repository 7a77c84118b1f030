//! Query parameters shared by pages and API: what a user may type in a URL is parsed here, once,
//! into the store's filter; a bad value is a 400 with the parameter named, never ignored.

use orientir_domain::registry::{Locality, SchoolYear, StatusKind};
use orientir_store::{SchoolFilter, SchoolSort, Store};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::WebError;

/// Which school year to show. Accepts «2024» or «2024/2025».
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// School year, e.g. `2024` or `2024/2025`; the latest year with statuses by default.
    pub year: Option<String>,
}

/// Filters and order of a municipality's schools table.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolListQuery {
    /// School year, e.g. `2024` or `2024/2025`; the latest year with statuses by default.
    pub year: Option<String>,
    /// `low_results`, `social_risk`, `declining` or `mentor`.
    pub status: Option<String>,
    /// `city` or `village`.
    pub locality: Option<String>,
    /// Kind of school as written in the registry, e.g. `СОШ`.
    pub kind: Option<String>,
    /// `name` (default), `students`, `kind` or `locality`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
}

/// A query string axum could not parse (e.g. a parameter given twice): a 400 in Russian.
pub fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> WebError {
    WebError::BadRequest(format!(
        "Параметры адреса не распознаны: {}.",
        rejection.body_text()
    ))
}

/// A form sends an empty value for «все»: that means no filter.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The year asked for, or the latest year that has statuses.
pub async fn resolve_year(
    store: &Store,
    raw: &Option<String>,
) -> Result<Option<SchoolYear>, WebError> {
    match given(raw) {
        Some(text) => SchoolYear::parse(text)
            .map(Some)
            .map_err(|e| WebError::BadRequest(format!("Параметр year: {e}."))),
        None => Ok(store.years().await?.first().copied()),
    }
}

impl SchoolListQuery {
    pub async fn to_filter(
        &self,
        store: &Store,
        municipality_id: i64,
    ) -> Result<SchoolFilter, WebError> {
        let bad = |name: &str, value: &str, expected: &str| {
            WebError::BadRequest(format!(
                "Параметр {name} = «{value}» не распознан: ожидается {expected}."
            ))
        };
        let status = given(&self.status)
            .map(|v| {
                StatusKind::parse(v).map_err(|_| {
                    bad(
                        "status",
                        v,
                        "low_results, social_risk, declining или mentor",
                    )
                })
            })
            .transpose()?;
        let locality = given(&self.locality)
            .map(|v| Locality::from_code(v).ok_or_else(|| bad("locality", v, "city или village")))
            .transpose()?;
        let sort = given(&self.sort)
            .map(|v| {
                SchoolSort::from_code(v)
                    .ok_or_else(|| bad("sort", v, "name, students, kind или locality"))
            })
            .transpose()?
            .unwrap_or_default();
        let descending = match given(&self.order) {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => return Err(bad("order", other, "asc или desc")),
        };
        Ok(SchoolFilter {
            municipality_id,
            year: resolve_year(store, &self.year).await?,
            status,
            locality,
            kind: given(&self.kind).map(str::to_owned),
            sort,
            descending,
        })
    }
}
