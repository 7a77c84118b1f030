//! Finding the CSRF token a request carries: the `X-CSRF-Token` header, or the `csrf` field of
//! a URL-encoded or multipart form body (read from a buffered copy; the handler gets the body
//! unchanged).

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;

use super::{CSRF_FIELD, CSRF_HEADER};

pub fn from_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The `csrf` field of a form body, if the body is a form and has one.
pub async fn from_body(headers: &HeaderMap, body: &Bytes) -> Option<String> {
    let content_type = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        return fields
            .into_iter()
            .find(|(name, _)| name == CSRF_FIELD)
            .map(|(_, value)| value);
    }
    if content_type.starts_with("multipart/form-data") {
        // The body is already read and held to its route's limit: multer is given it whole, with
        // no limit of its own (axum's `Multipart` extractor would apply its 2 MiB default here).
        let boundary = multer::parse_boundary(content_type).ok()?;
        let chunk = body.clone();
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(chunk) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from response times.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
