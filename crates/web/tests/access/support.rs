//! Helpers of the access tests: requests sent in-process, hand-made multipart bodies, and the
//! fixture region every test starts from (its places, road maps, evidence, comments and users).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use orientir_domain::registry::{
    Locality, Role, SchoolId, SchoolKind, SchoolRecord, Scope, SocialContext,
};
use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
use orientir_store::{
    AuditEntry, CommentRow, EvidenceRow, NewEvidence, ProgressKey, ProgressRow, RoadMapSummary,
    Store, StoredRoadMap, VersionState,
};
use orientir_web::testing::{self, TestUser};
use scraper::{Html, Selector};
use tower::ServiceExt;

pub const REGION: &str = "Тестовая область";
pub const TOWN: &str = "Город А";
pub const DISTRICT: &str = "Район Б";

/// The content of every evidence file of the fixture: a PDF by its signature.
pub const PDF: &[u8] = b"%PDF-1.4\n% orientir access test\n%%EOF\n";

// ---------------------------------------------------------------------------------------------
// Requests and answers

/// A response as the tests read it.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
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

    /// The message of an error page (its `main`), or the `error` of a JSON error.
    pub fn message(&self) -> String {
        if self
            .header(header::CONTENT_TYPE)
            .starts_with("application/json")
        {
            return serde_json::from_slice::<serde_json::Value>(&self.body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned))
                .unwrap_or_default();
        }
        text_of(&self.html(), "main")
    }
}

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

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .body(Body::empty())
        .expect("a GET request with a valid URI")
}

/// A URL-encoded form, as a browser posts it.
pub fn post_form(uri: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            serde_urlencoded::to_string(pairs).expect("a form encodes"),
        ))
        .expect("a POST request with a valid URI")
}

/// The request with one more header.
pub fn with_header(mut request: Request<Body>, name: &str, value: &str) -> Request<Body> {
    request.headers_mut().append(
        header::HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
        header::HeaderValue::from_str(value).expect("a valid header value"),
    );
    request
}

/// A request as an API client sends it: the personal token, no cookie.
pub fn bearer(uri: &str, token: &str) -> Request<Body> {
    with_header(get(uri), "authorization", &format!("Bearer {token}"))
}

pub const BOUNDARY: &str = "orientir-access-test-7d3f";

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

/// A `multipart/form-data` body written by hand: boundary, `Content-Disposition` with the file
/// name exactly as given, the part's `Content-Type`, then the bytes.
pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
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

pub fn multipart(uri: &str, parts: &[Part<'_>]) -> Request<Body> {
    Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart_body(parts)))
        .expect("a multipart request with a valid URI")
}

/// An evidence file posted as the activity page's form posts it.
pub fn evidence_upload(uri: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    multipart(
        uri,
        &[
            Part::Text("occurrence", ""),
            Part::File {
                field: "file",
                file_name,
                content_type: "application/pdf",
                bytes,
            },
            Part::Text("url", ""),
        ],
    )
}

/// The path as the sign-in redirect carries it: `/login?next=%2Froad-maps%2F3`.
pub fn login_redirect(path_and_query: &str) -> String {
    format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", path_and_query)]).expect("a query encodes")
    )
}

// ---------------------------------------------------------------------------------------------
// HTML

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

/// The visible text under the first match of `css`, whitespace runs made one space.
pub fn text_of(html: &Html, css: &str) -> String {
    html.select(&selector(css))
        .next()
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

pub fn count(html: &Html, css: &str) -> usize {
    html.select(&selector(css)).count()
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
// The fixture

/// The users of the matrix, in the order of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Региональный координатор of the region.
    Regional,
    /// Муниципальный координатор of municipality 1.
    Municipal,
    /// Куратор with municipality 1 as the role's scope, assigned to school A only.
    Curator,
    /// Руководитель school A.
    LeadA,
    /// Эксперт of municipality 1.
    Reviewer,
    /// Наблюдатель of the region.
    Observer,
    /// Руководитель school B (municipality 1, like A).
    LeadB,
}

impl Who {
    pub const ALL: [Who; 7] = [
        Who::Regional,
        Who::Municipal,
        Who::Curator,
        Who::LeadA,
        Who::Reviewer,
        Who::Observer,
        Who::LeadB,
    ];

    pub fn login(self) -> &'static str {
        match self {
            Who::Regional => "regional",
            Who::Municipal => "municipal-1",
            Who::Curator => "curator-1",
            Who::LeadA => "lead-a",
            Who::Reviewer => "reviewer-1",
            Who::Observer => "observer",
            Who::LeadB => "lead-b",
        }
    }
}

/// Places of the fixture that own something: the region, its two municipalities, and three of
/// its four schools (A and B in municipality 1, C in municipality 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Region,
    M1,
    M2,
    A,
    B,
    C,
}

/// A stored road map of the fixture: two activities (the first for status, evidence and comments,
/// the second for review), one evidence file and one comment on the first.
#[derive(Debug, Clone)]
pub struct Map {
    pub id: i64,
    pub owner: Scope,
    /// The activity key of the first activity.
    pub work: i64,
    /// The activity key of the second activity.
    pub review: i64,
    /// The evidence file on the first activity.
    pub evidence: i64,
}

impl Map {
    pub fn work_key(&self) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.work,
            occurrence: String::new(),
        }
    }

    pub fn review_key(&self) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.review,
            occurrence: String::new(),
        }
    }

    pub fn page(&self) -> String {
        format!("/road-maps/{}", self.id)
    }

    pub fn work_page(&self) -> String {
        format!("/road-maps/{}/activities/{}", self.id, self.work)
    }
}

pub struct World {
    pub store: Store,
    pub region: i64,
    pub m1: i64,
    pub m2: i64,
    pub a: SchoolId,
    pub b: SchoolId,
    pub c: SchoolId,
    maps: Vec<(Target, Map)>,
    users: Vec<(Who, TestUser)>,
}

fn school(id: &str, name: &str, municipality: &str) -> SchoolRecord {
    SchoolRecord {
        id: SchoolId::parse(id).expect("a valid school id"),
        name: name.to_owned(),
        region: REGION.to_owned(),
        municipality: municipality.to_owned(),
        locality: Locality::City,
        kind: SchoolKind::parse("СОШ").expect("a valid kind"),
        students: 300,
        social: SocialContext::default(),
    }
}

fn activity(number: &str, title: &str) -> Activity {
    Activity {
        number: Some(number.to_owned()),
        title: title.to_owned(),
        period: None,
        responsible: vec!["Иванова А.А.".to_owned()],
        output: None,
        indicator: None,
        publicity: None,
        external_help: None,
    }
}

fn road_map(title: &str, level: Level) -> RoadMap {
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
            activities: vec![
                activity("1", "Анализ результатов ВПР"),
                activity("2", "Семинар для школ"),
            ],
        }],
    }
}

impl World {
    /// The region with two municipalities of two schools each, a road map for the region, each
    /// municipality and each school (each with an evidence file and a comment), and the seven
    /// users of the matrix, each signed in.
    pub async fn build(store: &Store) -> World {
        store
            .import_schools(&[
                school("1001", "МБОУ СОШ № 1", TOWN),
                school("1002", "МБОУ СОШ № 2", TOWN),
                school("2001", "Яровая СОШ", DISTRICT),
                school("2002", "Озёрная СОШ", DISTRICT),
            ])
            .await
            .expect("import schools");
        let region = store.regions().await.expect("regions")[0].id;
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
        let (m1, m2) = (id_of(TOWN), id_of(DISTRICT));
        let id = |raw: &str| SchoolId::parse(raw).expect("a valid school id");
        let (a, b, c, d) = (id("1001"), id("1002"), id("2001"), id("2002"));

        let owners = [
            (Some(Target::Region), Scope::Region(region), Level::Regional),
            (Some(Target::M1), Scope::Municipality(m1), Level::Municipal),
            (Some(Target::M2), Scope::Municipality(m2), Level::Municipal),
            (Some(Target::A), Scope::School(a.clone()), Level::School),
            (Some(Target::B), Scope::School(b.clone()), Level::School),
            (Some(Target::C), Scope::School(c.clone()), Level::School),
            (None, Scope::School(d.clone()), Level::School),
        ];
        let mut maps = Vec::new();
        for (target, owner, level) in owners {
            let title = format!("Дорожная карта ({owner:?})");
            let saved = store
                .save_road_map(&owner, &road_map(&title, level), None)
                .await
                .expect("save a road map");
            let stored = store
                .road_map(saved.id, None)
                .await
                .expect("read the road map")
                .expect("the road map exists");
            let key = |index| stored.activity_key(0, index).expect("an activity key");
            let mut map = Map {
                id: saved.id,
                owner,
                work: key(0),
                review: key(1),
                evidence: 0,
            };
            map.evidence = store
                .add_evidence(
                    &map.work_key(),
                    &NewEvidence::File {
                        file_name: "справка.pdf",
                        content_type: "application/pdf",
                        bytes: PDF,
                        sha256: &orientir_web::auth::credentials::sha256_hex(PDF),
                    },
                )
                .await
                .expect("add evidence");
            store
                .add_comment(&map.work_key(), "Справка приложена, проверьте.")
                .await
                .expect("add a comment");
            if let Some(target) = target {
                maps.push((target, map));
            }
        }

        let mut users = Vec::new();
        for who in Who::ALL {
            let (role, scope) = match who {
                Who::Regional => (Role::RegionalCoordinator, Scope::Region(region)),
                Who::Municipal => (Role::MunicipalCoordinator, Scope::Municipality(m1)),
                Who::Curator => (Role::Curator, Scope::Municipality(m1)),
                Who::LeadA => (Role::SchoolLead, Scope::School(a.clone())),
                Who::Reviewer => (Role::Reviewer, Scope::Municipality(m1)),
                Who::Observer => (Role::Observer, Scope::Region(region)),
                Who::LeadB => (Role::SchoolLead, Scope::School(b.clone())),
            };
            let user = testing::user(store, who.login(), role, &scope)
                .await
                .expect("a test user");
            users.push((who, user));
        }
        let curator = users
            .iter()
            .find(|(who, _)| *who == Who::Curator)
            .map(|(_, u)| u.id)
            .expect("the curator");
        store
            .assign_curator(curator, &a)
            .await
            .expect("assign the curator to school A");

        World {
            store: store.clone(),
            region,
            m1,
            m2,
            a,
            b,
            c,
            maps,
            users,
        }
    }

    pub fn user(&self, who: Who) -> &TestUser {
        self.users
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, u)| u)
            .expect("every user of the matrix exists")
    }

    /// The application with nobody signed in.
    pub fn anonymous(&self) -> Router {
        orientir_web::app(self.store.clone())
    }

    /// The application as `who` sees it: their session cookie and CSRF header on every request.
    pub fn app_as(&self, who: Who) -> Router {
        testing::as_user(self.anonymous(), self.user(who))
    }

    pub fn map(&self, target: Target) -> &Map {
        self.maps
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, m)| m)
            .expect("every target has a road map")
    }

    /// The school a school target is; `None` for the region and municipalities.
    pub fn school(&self, target: Target) -> Option<&SchoolId> {
        match target {
            Target::A => Some(&self.a),
            Target::B => Some(&self.b),
            Target::C => Some(&self.c),
            Target::Region | Target::M1 | Target::M2 => None,
        }
    }

    /// The municipal road map a school road map of `target` would be derived from, and the school.
    pub fn derive_source(&self, target: Target) -> (&Map, &SchoolId) {
        match target {
            Target::A => (self.map(Target::M1), &self.a),
            Target::B | Target::M1 | Target::Region => (self.map(Target::M1), &self.b),
            Target::C | Target::M2 => (self.map(Target::M2), &self.c),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the store holds about a road map

/// Everything a request could change about a road map: versions, content, statuses, evidence,
/// comments, its history, and the owner's list of road maps.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub versions: Vec<(i64, VersionState)>,
    pub latest: Option<StoredRoadMap>,
    pub progress: Vec<ProgressRow>,
    pub evidence: Vec<EvidenceRow>,
    pub comments: Vec<CommentRow>,
    pub history: Vec<AuditEntry>,
    pub owners_maps: Vec<RoadMapSummary>,
}

pub async fn snapshot(store: &Store, map: &Map) -> Snapshot {
    let mut history = store
        .history_of_activity(map.id, map.work)
        .await
        .expect("history");
    history.extend(
        store
            .history_of_activity(map.id, map.review)
            .await
            .expect("history"),
    );
    Snapshot {
        versions: store.road_map_versions(map.id).await.expect("versions"),
        latest: store.road_map(map.id, None).await.expect("road map"),
        progress: store.progress_of(map.id).await.expect("progress"),
        evidence: store.evidence_of(map.id).await.expect("evidence"),
        comments: store.comments_of(map.id).await.expect("comments"),
        history,
        owners_maps: store.road_maps_of(&map.owner).await.expect("road maps"),
    }
}

/// The stored status code of an occurrence ("planned" when none is stored).
pub async fn status_of(store: &Store, key: &ProgressKey) -> String {
    store
        .progress_of(key.road_map_id)
        .await
        .expect("progress")
        .into_iter()
        .find(|p| p.activity_key == key.activity_key && p.occurrence == key.occurrence)
        .map_or_else(|| "planned".to_owned(), |p| p.status)
}
