//! Helpers of the monitoring tests: requests sent in-process, HTML reading, dates relative to
//! today, and the fixture every test starts from (a region of two municipalities, school road maps
//! whose activities are due in the past, in the next days and far ahead, and signed-in users).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{Duration, NaiveDate, Utc};
use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};
use orientir_domain::registry::{
    Locality, Role, SchoolId, SchoolKind, SchoolRecord, Scope, SocialContext,
};
use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
use orientir_store::{Actor, NewEvidence, ProgressKey, Store};
use orientir_web::testing::{self, TestUser};
use scraper::{ElementRef, Html, Selector};
use tower::ServiceExt;

pub const REGION: &str = "Тестовая область";
pub const TOWN: &str = "Город А";
pub const DISTRICT: &str = "Район Б";

pub const SCHOOL_A: &str = "МБОУ СОШ № 1";
pub const SCHOOL_B: &str = "МБОУ СОШ № 2";
/// A school of the town without a road map: never on a dashboard.
pub const SCHOOL_N: &str = "Гимназия № 3";
pub const SCHOOL_C: &str = "Яровая СОШ";
pub const SCHOOL_D: &str = "Озёрная СОШ";

// ---------------------------------------------------------------------------------------------
// Dates

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Today moved by `days` (negative: in the past).
pub fn day(days: i64) -> NaiveDate {
    today() + Duration::days(days)
}

/// A date as pages show it: `05.03.2026`.
pub fn short(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

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

    pub fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }

    /// The visible text of the page's `main` (an error page's title and message).
    pub fn message(&self) -> String {
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

pub async fn get(app: &Router, uri: &str) -> Answer {
    let request = Request::get(uri)
        .body(Body::empty())
        .expect("a GET request with a valid URI");
    send(app, request).await
}

/// A page that must answer 200 with HTML.
pub async fn ok_page(app: &Router, uri: &str) -> Html {
    let answer = get(app, uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.message());
    assert!(
        answer.header(header::CONTENT_TYPE).starts_with("text/html"),
        "{uri} answers HTML"
    );
    answer.html()
}

/// A URL-encoded form, as a browser posts it.
pub async fn post_form(app: &Router, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            serde_urlencoded::to_string(pairs).expect("a form encodes"),
        ))
        .expect("a POST request with a valid URI");
    send(app, request).await
}

// ---------------------------------------------------------------------------------------------
// HTML

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

/// The visible text of an element, runs of whitespace (no-break spaces too) made one space.
pub fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of every element matching `css`, in document order.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&selector(css)).map(text).collect()
}

/// The text of the first element matching `css` ("" when none does).
pub fn text_of(html: &Html, css: &str) -> String {
    html.select(&selector(css))
        .next()
        .map(text)
        .unwrap_or_default()
}

pub fn count(html: &Html, css: &str) -> usize {
    html.select(&selector(css)).count()
}

/// Each row of a table body as the texts of its cells.
pub fn rows(html: &Html, table_css: &str) -> Vec<Vec<String>> {
    let cell = selector("th, td");
    html.select(&selector(&format!("{table_css} tbody tr")))
        .map(|row| row.select(&cell).map(text).collect())
        .collect()
}

/// The header texts of a table.
pub fn headers(html: &Html, table_css: &str) -> Vec<String> {
    texts(html, &format!("{table_css} thead th"))
}

/// The row of a table whose first cell is `first`.
pub fn row_of(html: &Html, table_css: &str, first: &str) -> Vec<String> {
    let all = rows(html, table_css);
    all.iter()
        .find(|r| r.first().is_some_and(|c| c == first))
        .cloned()
        .unwrap_or_else(|| panic!("{table_css} has a row «{first}»: {all:?}"))
}

/// Owned strings, for comparing rows.
pub fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// The fixture

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

/// «до ДД.ММ.ГГГГ»: a deadline, due on that date.
pub fn by(date: NaiveDate) -> String {
    format!("до {}", short(date))
}

fn activity(number: usize, title: &str, period: &str) -> Activity {
    let parsed = parse_period(period, &PeriodContext::default());
    if period.starts_with("до ") {
        assert!(
            parsed.kind == PeriodKind::By && !parsed.windows.is_empty(),
            "«{period}» reads as a dated deadline: {parsed:?}"
        );
    }
    Activity {
        number: Some(number.to_string()),
        title: title.to_owned(),
        period: Some(parsed),
        responsible: vec!["Иванова А.А.".to_owned()],
        output: Some("Справка".to_owned()),
        indicator: None,
        publicity: None,
        external_help: None,
    }
}

/// A road map of one section whose activities are (title, «Сроки» cell).
pub fn road_map(title: &str, level: Level, activities: &[(&str, String)]) -> RoadMap {
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
            activities: activities
                .iter()
                .enumerate()
                .map(|(i, (title, period))| activity(i + 1, title, period))
                .collect(),
        }],
    }
}

/// A stored school road map: its id and the keys of its activities, in order.
#[derive(Debug, Clone)]
pub struct Map {
    pub id: i64,
    pub keys: Vec<i64>,
}

impl Map {
    /// The occurrence of the `index`-th activity (one-off activities have one).
    pub fn key(&self, index: usize) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.keys[index],
            occurrence: String::new(),
        }
    }
}

pub async fn save_map(store: &Store, owner: &Scope, map: &RoadMap) -> Map {
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
    Map { id: saved.id, keys }
}

/// Titles of school A's activities, in order.
pub const A_OLD: &str = "Анализ результатов ВПР";
pub const A_MONTH: &str = "Педагогический совет";
pub const A_LATE: &str = "Методический семинар";
pub const A_WEEK: &str = "Родительское собрание";
pub const A_SOON: &str = "Открытый урок";
pub const A_FAR: &str = "Итоговый отчёт";
pub const A_ASKED: &str = "Консультации для родителей";
/// Titles of school B's activities.
pub const B_PAST: &str = "Самодиагностика";
pub const B_SOON: &str = "Отчёт по самодиагностике";
/// School C's (district).
pub const C_PAST: &str = "Анализ контрольных работ";
/// School D's (district): nothing due yet.
pub const D_FAR: &str = "Летний лагерь";

/// Indexes of school A's activities.
pub const OLD: usize = 0;
pub const MONTH: usize = 1;
pub const LATE: usize = 2;
pub const WEEK: usize = 3;
pub const SOON: usize = 4;
pub const FAR: usize = 5;
pub const ASKED: usize = 6;

/// When school A's activities are due (`None`: «по запросу»).
pub fn a_due(index: usize) -> Option<NaiveDate> {
    match index {
        OLD => Some(ymd(2025, 5, 15)),
        MONTH => Some(day(-30)),
        LATE => Some(day(-3)),
        WEEK => Some(day(-10)),
        SOON => Some(day(5)),
        FAR => Some(day(60)),
        _ => None,
    }
}

pub struct World {
    pub store: Store,
    pub region: i64,
    pub m1: i64,
    pub m2: i64,
    pub a: SchoolId,
    pub b: SchoolId,
    /// School A: seven activities, due 15.05.2025, 30, 3 and 10 days ago, in 5 and 60 days, and
    /// «по запросу».
    pub map_a: Map,
    /// School B: due 20 days ago and in 10 days.
    pub map_b: Map,
    /// School C (district): due 5 days ago.
    pub map_c: Map,
    /// School D (district): due in 30 days.
    pub map_d: Map,
    /// Regional coordinator of the region.
    pub regional: TestUser,
    /// Municipal coordinator of the town.
    pub municipal: TestUser,
    /// Curator of the town, assigned to school A.
    pub curator: TestUser,
    /// Lead of school A.
    pub lead_a: TestUser,
}

impl World {
    pub async fn build(store: &Store) -> World {
        store
            .import_schools(&[
                school("1001", SCHOOL_A, TOWN),
                school("1002", SCHOOL_B, TOWN),
                school("1003", SCHOOL_N, TOWN),
                school("2001", SCHOOL_C, DISTRICT),
                school("2002", SCHOOL_D, DISTRICT),
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

        let due = |index: usize| a_due(index).map_or_else(|| "по запросу".to_owned(), by);
        let map_a = save_map(
            store,
            &Scope::School(a.clone()),
            &road_map(
                "Дорожная карта СОШ № 1",
                Level::School,
                &[
                    (A_OLD, due(OLD)),
                    (A_MONTH, due(MONTH)),
                    (A_LATE, due(LATE)),
                    (A_WEEK, due(WEEK)),
                    (A_SOON, due(SOON)),
                    (A_FAR, due(FAR)),
                    (A_ASKED, due(ASKED)),
                ],
            ),
        )
        .await;
        let map_b = save_map(
            store,
            &Scope::School(b.clone()),
            &road_map(
                "Дорожная карта СОШ № 2",
                Level::School,
                &[(B_PAST, by(day(-20))), (B_SOON, by(day(10)))],
            ),
        )
        .await;
        let map_c = save_map(
            store,
            &Scope::School(c.clone()),
            &road_map(
                "Дорожная карта Яровой СОШ",
                Level::School,
                &[(C_PAST, by(day(-5)))],
            ),
        )
        .await;
        let map_d = save_map(
            store,
            &Scope::School(d),
            &road_map(
                "Дорожная карта Озёрной СОШ",
                Level::School,
                &[(D_FAR, by(day(30)))],
            ),
        )
        .await;
        // The town's own road map: a municipality is not a school, so never a dashboard row.
        save_map(
            store,
            &Scope::Municipality(m1),
            &road_map(
                "Муниципальная дорожная карта",
                Level::Municipal,
                &[("Совещание директоров", by(day(-7)))],
            ),
        )
        .await;

        let regional = testing::user(
            store,
            "regional",
            Role::RegionalCoordinator,
            &Scope::Region(region),
        )
        .await
        .expect("a regional coordinator");
        let municipal = testing::user(
            store,
            "municipal-1",
            Role::MunicipalCoordinator,
            &Scope::Municipality(m1),
        )
        .await
        .expect("a municipal coordinator");
        let curator = testing::user(store, "curator-1", Role::Curator, &Scope::Municipality(m1))
            .await
            .expect("a curator");
        store
            .assign_curator(curator.id, &a)
            .await
            .expect("assign the curator to school A");
        let lead_a = testing::user(store, "lead-a", Role::SchoolLead, &Scope::School(a.clone()))
            .await
            .expect("a school lead");

        World {
            store: store.clone(),
            region,
            m1,
            m2,
            a,
            b,
            map_a,
            map_b,
            map_c,
            map_d,
            regional,
            municipal,
            curator,
            lead_a,
        }
    }

    /// The application as `user` sees it.
    pub fn app_as(&self, user: &TestUser) -> Router {
        testing::as_user(orientir_web::app(self.store.clone()), user)
    }

    /// The store acting as `user` (what their forms would write).
    pub fn store_as(&self, user: &TestUser) -> Store {
        self.store.acting_as(Actor::user(user.id, &user.login))
    }

    pub fn town_dashboard(&self) -> String {
        format!("/dashboard/municipalities/{}", self.m1)
    }

    pub fn school_a_dashboard(&self) -> String {
        format!("/dashboard/schools/{}", self.a)
    }
}

/// Moves an occurrence from `from` to `to` through the store.
pub async fn set(store: &Store, key: &ProgressKey, from: &str, to: &str) {
    store
        .set_status(key, from, to, None)
        .await
        .unwrap_or_else(|e| panic!("set {key:?} from {from} to {to}: {e}"));
}

/// Attaches a link as evidence.
pub async fn attach(store: &Store, key: &ProgressKey) {
    let url = format!(
        "https://school.example/docs/{}-{}",
        key.road_map_id, key.activity_key
    );
    store
        .add_evidence(key, &NewEvidence::Link { url: &url })
        .await
        .expect("add evidence");
}
