//! Extractors that answer a bad request the way the rest of the application does: a path segment
//! that is not a number of the right kind is a Russian 404 page, not axum's plain-text rejection.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::error::PageError;

/// `Path<T>` for pages: an unparsable segment means there is no such page.
pub struct PagePath<T>(pub T);

impl<S, T> FromRequestParts<S> for PagePath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(_) => Err(PageError(WebError::NotFound(format!(
                "Адрес {} не найден.",
                parts.uri.path()
            )))),
        }
    }
}
