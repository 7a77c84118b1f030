//! Helpers of the monitoring tests: the shared request and HTML helpers of `common`, table
//! reading, dates relative to today, and the fixture every test starts from (a region of two municipalities, school road maps
//! whose activities are due in the past, in the next days and far ahead, and signed-in users).

use axum::Router;
use chrono::{Duration, NaiveDate, Utc};
use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::{Activity, Level, RoadMap};
use orientir_store::{Actor, NewEvidence, ProgressKey, Store};
use orientir_web::testing::{self, TestUser};
use scraper::Html;

use crate::common::{self, city_school, request, town_and_district};
pub use crate::common::{
    Answer, DISTRICT, SavedMap as Map, TOWN, attrs, count, first_text, ok_page, save_map, selector,
    send, text, texts,
};

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

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, request::get(uri)).await
}

/// A URL-encoded form, as a browser posts it.
pub async fn post_form(app: &Router, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    send(app, request::post_form(uri, pairs)).await
}

// ---------------------------------------------------------------------------------------------
// HTML

/// Each row of a table body as the texts of its cells.
pub fn rows(html: &Html, table_css: &str) -> Vec<Vec<String>> {
    common::rows(html, &format!("{table_css} tbody tr"))
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
    common::road_map(
        title,
        level,
        activities
            .iter()
            .enumerate()
            .map(|(i, (title, period))| activity(i + 1, title, period))
            .collect(),
    )
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
                city_school("1001", SCHOOL_A, TOWN),
                city_school("1002", SCHOOL_B, TOWN),
                city_school("1003", SCHOOL_N, TOWN),
                city_school("2001", SCHOOL_C, DISTRICT),
                city_school("2002", SCHOOL_D, DISTRICT),
            ])
            .await
            .expect("import schools");
        let region = store.regions().await.expect("regions")[0].id;
        let (m1, m2) = town_and_district(store, region).await;
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
