//! The headers every answer carries, set in one middleware: what a browser may load and run
//! (`Content-Security-Policy`: only this site, no inline script — Orientir has none), that no other
//! site may frame a page (clickjacking), no referrer leaves the site, no content sniffing, signed-in
//! pages are never cached, and HSTS when Orientir is served over HTTPS.
//!
//! A public page meant to be embedded in a school's site marks its response with [`Embeddable`]:
//! then any site may frame it.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Marks a response that other sites may show in a frame (public embeddable fragments).
#[derive(Debug, Clone, Copy)]
pub struct Embeddable;

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      object-src 'none'; base-uri 'none'; form-action 'self'";

/// One year, as browsers' preload lists expect.
const HSTS: &str = "max-age=31536000";

pub async fn apply(hsts: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let embeddable = response.extensions().get::<Embeddable>().is_some();
    let headers = response.headers_mut();
    let frames = if embeddable {
        "frame-ancestors *"
    } else {
        "frame-ancestors 'none'"
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        &format!("{POLICY}; {frames}"),
    );
    if !embeddable {
        set(headers, header::X_FRAME_OPTIONS, "DENY");
    }
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    // Static assets say how long they may be kept; everything else is personal or changes.
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if hsts {
        set(headers, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}
