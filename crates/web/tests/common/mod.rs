//! Helpers shared by the web test crates (`web`, `access`, `monitoring`): requests sent in-process
//! and their answers, HTML reading, and the fixture pieces every suite builds the same way.

// Each test crate compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use orientir_domain::registry::{
    Locality, SchoolId, SchoolKind, SchoolRecord, Scope, SocialContext,
};
use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
use orientir_store::{ProgressKey, Store};
use scraper::{ElementRef, Html, Selector};
use tower::ServiceExt;

pub const REGION: &str = "Тестовая область";
pub const TOWN: &str = "Город А";
pub const DISTRICT: &str = "Район Б";

/// The content type of a URL-encoded form.
pub const FORM: &str = "application/x-www-form-urlencoded";

// ---------------------------------------------------------------------------------------------
// Requests

/// Requests as a browser or an API client builds them, ready for [`send`].
pub mod request {
    use axum::body::Body;
    use axum::http::{Request, header};

    use super::FORM;

    pub fn get(uri: &str) -> Request<Body> {
        Request::get(uri)
            .body(Body::empty())
            .expect("a GET request with a valid URI")
    }

    /// A POST of `body` as `content_type`.
    pub fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
        Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(body.into())
            .expect("a POST request with a valid URI")
    }

    /// A URL-encoded form, as a browser posts it.
    pub fn post_form(uri: &str, pairs: &[(&str, &str)]) -> Request<Body> {
        post(
            uri,
            FORM,
            serde_urlencoded::to_string(pairs).expect("a form encodes"),
        )
    }

    /// A JSON body sent with `method`, as an API client sends it.
    pub fn json(method: &str, uri: &str, body: &serde_json::Value) -> Request<Body> {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request with a valid method and URI")
    }

    /// The request with one more header.
    pub fn with_header(mut request: Request<Body>, name: &str, value: &str) -> Request<Body> {
        request.headers_mut().append(
            header::HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            header::HeaderValue::from_str(value).expect("a valid header value"),
        );
        request
    }

    /// The request with a personal API token, as an API client sends it.
    pub fn with_bearer(request: Request<Body>, token: &str) -> Request<Body> {
        with_header(request, "authorization", &format!("Bearer {token}"))
    }

    /// A GET as an API client sends it: the personal token, no cookie.
    pub fn bearer(uri: &str, token: &str) -> Request<Body> {
        with_bearer(get(uri), token)
    }

    pub const BOUNDARY: &str = "orientir-test-boundary";

    /// One part of a `multipart/form-data` body.
    pub enum Part<'a> {
        Text(&'a str, &'a str),
        File {
            field: &'a str,
            file_name: &'a str,
            content_type: &'a str,
            bytes: &'a [u8],
        },
    }

    /// A `multipart/form-data` body written by hand: boundary, `Content-Disposition` with the
    /// file name exactly as given, the part's `Content-Type`, then the bytes.
    pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                        )
                        .as_bytes(),
                    );
                }
                Part::File {
                    field,
                    file_name,
                    content_type,
                    bytes,
                } => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                             Content-Type: {content_type}\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                    body.extend_from_slice(b"\r\n");
                }
            }
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        body
    }

    /// The content type of a [`multipart_body`].
    pub fn multipart_type() -> String {
        format!("multipart/form-data; boundary={BOUNDARY}")
    }

    /// A `multipart/form-data` POST of `parts`.
    pub fn multipart(uri: &str, parts: &[Part<'_>]) -> Request<Body> {
        post(uri, &multipart_type(), multipart_body(parts))
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

/// A response as the tests read it.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as text that must be UTF-8.
    pub fn utf8(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    /// A header's value, if present and readable.
    pub fn header_value(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A header's value ("" when absent).
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.header_value(name).unwrap_or("")
    }

    pub fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
    }

    pub fn location(&self) -> &str {
        self.header(header::LOCATION)
    }

    /// The value a `Set-Cookie` header of this answer gives the cookie `name`, if any.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }

    /// The visible text of the page's `main` (an error page's title and message).
    pub fn main_text(&self) -> String {
        first_text(&self.html(), "main")
    }

    /// The message of an error page (its `main`), or the `error` of a JSON error.
    pub fn message(&self) -> String {
        if self.content_type().starts_with("application/json") {
            return serde_json::from_slice::<serde_json::Value>(&self.body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned))
                .unwrap_or_default();
        }
        self.main_text()
    }
}

/// Sends `request` to the application in-process and reads the whole answer.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router never fails at the service level");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body can be read")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// An HTML page: status, and the parsed document.
pub async fn page(app: &Router, uri: &str) -> (StatusCode, Html) {
    let answer = send(app, request::get(uri)).await;
    assert!(
        answer.content_type().starts_with("text/html"),
        "{uri} answers HTML, got «{}» with {}",
        answer.content_type(),
        answer.status
    );
    (answer.status, Html::parse_document(&answer.utf8()))
}

/// A page that must answer 200 with HTML.
pub async fn ok_page(app: &Router, uri: &str) -> Html {
    let (status, html) = page(app, uri).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{uri}: {}",
        first_text(&html, "main")
    );
    html
}

/// A JSON answer: status and the parsed value.
pub async fn json(app: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let answer = send(app, request::get(uri)).await;
    assert!(
        answer.content_type().starts_with("application/json"),
        "{uri} answers JSON, got «{}» with {}: {}",
        answer.content_type(),
        answer.status,
        answer.text()
    );
    let value = serde_json::from_str(&answer.utf8()).expect("the body is valid JSON");
    (answer.status, value)
}

// ---------------------------------------------------------------------------------------------
// HTML

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

/// The visible text of an element with runs of whitespace (no-break spaces too) made one space.
pub fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `css`, in document order.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&selector(css)).map(text).collect()
}

/// Text of the only element matching `css`.
pub fn text_of(html: &Html, css: &str) -> String {
    let found = texts(html, css);
    assert_eq!(found.len(), 1, "exactly one {css}, found {found:?}");
    found.into_iter().next().unwrap_or_default()
}

/// The text of the first element matching `css` ("" when none does).
pub fn first_text(html: &Html, css: &str) -> String {
    html.select(&selector(css))
        .next()
        .map(text)
        .unwrap_or_default()
}

/// Values of an attribute on all elements matching `css`.
pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&selector(css))
        .filter_map(|el| el.value().attr(attr).map(str::to_owned))
        .collect()
}

pub fn count(html: &Html, css: &str) -> usize {
    html.select(&selector(css)).count()
}

/// Each row matching `rows_css` as the texts of its cells (`th` and `td`).
pub fn rows(html: &Html, rows_css: &str) -> Vec<Vec<String>> {
    let cell = selector("th, td");
    html.select(&selector(rows_css))
        .map(|row| row.select(&cell).map(text).collect())
        .collect()
}

/// The `value` of the first `input[name=…]` inside `scope_css`.
pub fn input_value(html: &Html, scope_css: &str, name: &str) -> String {
    html.select(&selector(&format!("{scope_css} input[name={name}]")))
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap_or_else(|| panic!("{scope_css} has an input named {name}"))
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// Fixture pieces

/// A school of [`REGION`].
pub fn school(
    id: &str,
    name: &str,
    municipality: &str,
    locality: Locality,
    kind: &str,
    students: u32,
) -> SchoolRecord {
    SchoolRecord {
        id: SchoolId::parse(id).expect("a valid school id"),
        name: name.to_owned(),
        region: REGION.to_owned(),
        municipality: municipality.to_owned(),
        locality,
        kind: SchoolKind::parse(kind).expect("a valid kind"),
        students,
        social: SocialContext::default(),
    }
}

/// A city СОШ of 300 students in [`REGION`].
pub fn city_school(id: &str, name: &str, municipality: &str) -> SchoolRecord {
    school(id, name, municipality, Locality::City, "СОШ", 300)
}

/// The ids of [`TOWN`] and [`DISTRICT`] in `region`.
pub async fn town_and_district(store: &Store, region: i64) -> (i64, i64) {
    let overview = store
        .municipality_overview(region, None)
        .await
        .expect("municipalities");
    let id_of = |name: &str| {
        overview
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.id)
            .unwrap_or_else(|| panic!("municipality {name} exists"))
    };
    (id_of(TOWN), id_of(DISTRICT))
}

/// A road map of one section, «I. Организационная работа», with `activities`.
pub fn road_map(title: &str, level: Level, activities: Vec<Activity>) -> RoadMap {
    RoadMap {
        title: title.to_owned(),
        level,
        owner: None,
        order: None,
        period: None,
        goals: vec![],
        tasks: vec![],
        expected_results: vec![],
        sections: vec![Section {
            title: "I. Организационная работа".to_owned(),
            tasks: vec![],
            planned_results: vec![],
            activities,
        }],
    }
}

/// A stored road map: its id and the keys of its first section's activities, in order.
#[derive(Debug, Clone)]
pub struct SavedMap {
    pub id: i64,
    pub keys: Vec<i64>,
}

impl SavedMap {
    /// The occurrence of the `index`-th activity (one-off activities have one).
    pub fn key(&self, index: usize) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.keys[index],
            occurrence: String::new(),
        }
    }
}

/// Saves `map` for `owner` and reads back the keys of its first section's activities.
pub async fn save_map(store: &Store, owner: &Scope, map: &RoadMap) -> SavedMap {
    let saved = store
        .save_road_map(owner, map, None)
        .await
        .expect("save a road map");
    let stored = store
        .road_map(saved.id, None)
        .await
        .expect("read the road map")
        .expect("the road map exists");
    let keys = (0..map.sections[0].activities.len())
        .map(|i| stored.activity_key(0, i).expect("an activity key"))
        .collect();
    SavedMap { id: saved.id, keys }
}
