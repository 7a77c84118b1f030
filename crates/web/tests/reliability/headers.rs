//! The security headers on every kind of answer: signed-in pages, the sign-in page, errors, the
//! API, downloads and static assets.

use axum::http::{StatusCode, header};
use orientir_store::testing::TestDb;
use orientir_web::testing;

use crate::common::{Answer, request, send};
use crate::support::World;

fn assert_protected(answer: &Answer, what: &str) {
    let csp = answer.header(header::CONTENT_SECURITY_POLICY);
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP «{csp}» has {directive}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(answer.header(header::X_FRAME_OPTIONS), "DENY", "{what}");
    assert_eq!(
        answer.header(header::X_CONTENT_TYPE_OPTIONS),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        answer.header(header::REFERRER_POLICY),
        "same-origin",
        "{what}"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_pages_are_not_cached() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    let as_lead = testing::as_user(world.app.clone(), &world.lead);
    let signed_in = [
        format!("/road-maps/{}", world.map.id),
        format!("/road-maps/{}/execution", world.map.id),
        format!("/road-maps/{}/export/xlsx", world.map.id),
        "/api/v1/regions".to_owned(),
        "/no-such-page".to_owned(),
    ];
    for uri in &signed_in {
        let answer = send(&as_lead, request::get(uri)).await;
        assert_protected(&answer, uri);
        assert_eq!(answer.header(header::CACHE_CONTROL), "no-store", "{uri}");
    }
    for uri in ["/login", "/healthz", "/"] {
        let answer = send(&world.app, request::get(uri)).await;
        assert_protected(&answer, uri);
        assert_eq!(answer.header(header::CACHE_CONTROL), "no-store", "{uri}");
    }
    // Assets keep their own caching; the rest of the protection holds.
    let css = send(&world.app, request::get("/static/style.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(css.header(header::CACHE_CONTROL), "public, max-age=3600");
    // HSTS only when served over HTTPS (ORIENTIR_SECURE_COOKIES=1, tested with the binary).
    assert!(
        send(&world.app, request::get("/login"))
            .await
            .header_value(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
}
