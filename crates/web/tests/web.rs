//! The web application as its users meet it: Russian pages, the JSON API and its OpenAPI document,
//! driven in-process through `orientir_web::app`. Tests that read the database run on SQLite and,
//! when `ORIENTIR_TEST_PG` is set, on PostgreSQL with the same assertions.
//!
//! One test binary on purpose: linking is the slow part of a test run.

mod common;

mod support {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{HeaderMap, StatusCode, header};
    use chrono::NaiveDate;
    use orientir_domain::registry::{
        Locality, PersonDraft, Role, SchoolId, SchoolYear, Scope, StatusDecision,
        StatusDecisionRecord, StatusKind, StatusSource,
    };
    use orientir_store::Store;
    use scraper::Html;

    pub use crate::common::{
        DISTRICT, FORM, REGION, TOWN, attrs, count, input_value, json, ok_page, page, request,
        rows, school, selector, send, text_of, texts, town_and_district,
    };

    /// A response as the tests read it, its body text that must be UTF-8.
    pub struct Fetched {
        pub status: StatusCode,
        pub headers: HeaderMap,
        pub body: String,
    }

    impl Fetched {
        pub fn content_type(&self) -> &str {
            self.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        }
    }

    /// The application as a regional coordinator of the first region sees it (every page of the
    /// fixtures), signed in through a session made in the store. An empty database has nobody
    /// to sign in: the plain application.
    pub async fn app(store: Store) -> Router {
        let plain = orientir_web::app(store.clone());
        let Some(region) = store
            .regions()
            .await
            .expect("regions")
            .first()
            .map(|r| r.id)
        else {
            return plain;
        };
        let login = format!("test-region-{region}");
        let user = match store.credentials(&login).await.expect("credentials") {
            Some(existing) => orientir_web::testing::session(&store, existing.id, &login)
                .await
                .expect("a session"),
            None => orientir_web::testing::user(
                &store,
                &login,
                Role::RegionalCoordinator,
                &Scope::Region(region),
            )
            .await
            .expect("a test user"),
        };
        // Regional coordinator of every region of the fixtures.
        let person = store
            .users()
            .await
            .expect("users")
            .into_iter()
            .find(|u| u.login == login)
            .map(|u| u.person_id)
            .expect("the test user");
        let regions = store.regions().await.expect("regions");
        for other in regions.iter().skip(1) {
            store
                .assign_role(person, Role::RegionalCoordinator, &Scope::Region(other.id))
                .await
                .expect("a role in another region");
        }
        orientir_web::testing::as_user(plain, &user)
    }

    pub async fn fetch(app: &Router, uri: &str) -> Fetched {
        let answer = send(app, request::get(uri)).await;
        Fetched {
            status: answer.status,
            body: answer.utf8(),
            headers: answer.headers,
        }
    }

    /// POSTs a body; answers the status, the redirect target if any, and the body as text.
    pub async fn post(
        app: &Router,
        uri: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, Option<String>, String) {
        let answer = send(app, request::post(uri, content_type, body)).await;
        (
            answer.status,
            answer.header_value(header::LOCATION).map(str::to_owned),
            answer.text(),
        )
    }

    /// POSTs a form as a browser sends it.
    pub async fn post_form(
        app: &Router,
        uri: &str,
        pairs: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        post(
            app,
            uri,
            FORM,
            serde_urlencoded::to_string(pairs).expect("form"),
        )
        .await
    }

    /// The `<dt>` → `<dd>` pairs of a definition list.
    pub fn definitions(html: &Html, dl: &str) -> Vec<(String, String)> {
        let terms = texts(html, &format!("{dl} dt"));
        let values = texts(html, &format!("{dl} dd"));
        assert_eq!(terms.len(), values.len(), "every term of {dl} has a value");
        terms.into_iter().zip(values).collect()
    }

    fn year(y: i32) -> SchoolYear {
        SchoolYear::new(y).expect("a valid school year")
    }

    fn by_rule(id: &str, y: i32, status: StatusKind) -> StatusDecisionRecord {
        StatusDecisionRecord {
            school_id: SchoolId::parse(id).expect("a valid school id"),
            year: year(y),
            status,
            decision: StatusDecision::Assigned,
            source: StatusSource::RuleRun {
                rule_version: "2024.1".to_owned(),
            },
            note: None,
        }
    }

    /// Ids of the small hand-made registry.
    pub struct Sample {
        pub region: i64,
        pub town: i64,
        pub district: i64,
    }

    /// A small registry whose every number is known:
    ///
    /// | school | name            | municipality | locality | kind     | students | 2023      | 2024                     |
    /// |--------|-----------------|--------------|----------|----------|----------|-----------|--------------------------|
    /// | 1001   | МБОУ СОШ № 10   | Город А      | город    | СОШ      | 800      |           | ШНОР                     |
    /// | 1002   | МБОУ СОШ № 2    | Город А      | город    | СОШ      | 650      | ШНОР      | ШНОР, then removed by order |
    /// | 1003   | Ёлкинская ООШ   | Город А      | село     | ООШ      | 40       | зона риска| ШНОР                     |
    /// | 1004   | Гимназия № 1    | Город А      | город    | Гимназия | 900      |           | наставник                |
    /// | 2001   | Яровая СОШ      | Район Б      | село     | СОШ      | 120      |           | ШНСУ                     |
    ///
    /// School 1002 has a low-income share of 0.23 and a director, «Бабкина Н.А.».
    pub async fn load_sample(store: &Store) -> Sample {
        let mut schools = vec![
            school("1001", "МБОУ СОШ № 10", TOWN, Locality::City, "СОШ", 800),
            school("1002", "МБОУ СОШ № 2", TOWN, Locality::City, "СОШ", 650),
            school("1003", "Ёлкинская ООШ", TOWN, Locality::Village, "ООШ", 40),
            school(
                "1004",
                "Гимназия № 1",
                TOWN,
                Locality::City,
                "Гимназия",
                900,
            ),
            school(
                "2001",
                "Яровая СОШ",
                DISTRICT,
                Locality::Village,
                "СОШ",
                120,
            ),
        ];
        schools[1].social.low_income = Some(0.23);
        store
            .import_schools(&schools)
            .await
            .expect("import schools");
        store
            .record_statuses(&[
                by_rule("1002", 2023, StatusKind::LowResults),
                by_rule("1003", 2023, StatusKind::Declining),
            ])
            .await
            .expect("2023 statuses");
        store
            .record_statuses(&[
                by_rule("1001", 2024, StatusKind::LowResults),
                by_rule("1002", 2024, StatusKind::LowResults),
                by_rule("1003", 2024, StatusKind::LowResults),
                by_rule("1004", 2024, StatusKind::Mentor),
                by_rule("2001", 2024, StatusKind::SocialRisk),
            ])
            .await
            .expect("2024 statuses");
        store
            .record_statuses(&[StatusDecisionRecord {
                decision: StatusDecision::Removed,
                source: StatusSource::Manual {
                    order_number: "01-04-181".to_owned(),
                    order_date: NaiveDate::from_ymd_opt(2024, 10, 15),
                },
                note: Some("Снят решением комиссии".to_owned()),
                ..by_rule("1002", 2024, StatusKind::LowResults)
            }])
            .await
            .expect("the removal by order");
        let director = store
            .add_person(&PersonDraft {
                full_name: "Бабкина Н.А.".to_owned(),
                position: Some("Директор".to_owned()),
                email: None,
            })
            .await
            .expect("add a person");
        store
            .assign_role(
                director,
                Role::SchoolLead,
                &Scope::School(SchoolId::parse("1002").expect("a valid school id")),
            )
            .await
            .expect("assign the director");

        let regions = store.regions().await.expect("regions");
        let region = regions
            .iter()
            .find(|r| r.name == REGION)
            .expect("the sample region exists")
            .id;
        let (town, district) = town_and_district(store, region).await;
        Sample {
            region,
            town,
            district,
        }
    }

    /// Ids in the demo region.
    pub struct Demo {
        pub region: i64,
        pub municipality: i64,
        pub school: String,
    }

    pub async fn load_demo(store: &Store) -> Demo {
        let demo = orientir_domain::demo::demo_region();
        store.load_demo(&demo).await.expect("load the demo region");
        let region = store.regions().await.expect("regions")[0].id;
        let municipality = store
            .municipality_overview(region, None)
            .await
            .expect("municipalities")[0]
            .id;
        Demo {
            region,
            municipality,
            school: demo.schools[0].id.to_string(),
        }
    }
}

use axum::http::StatusCode;
use orientir_domain::registry::Locality;
use orientir_store::testing::TestDb;
use support::app;
use support::*;

/// Error pages are real pages: the layout around a Russian title and message.
fn assert_error_page(html: &scraper::Html, title: &str, uri: &str) {
    assert_eq!(text_of(html, "h1"), title, "{uri}");
    assert!(
        text_of(html, "title").starts_with(title),
        "{uri}: the window title names the error"
    );
    assert_eq!(
        count(html, "nav.site-nav"),
        1,
        "{uri}: the site navigation is kept"
    );
    assert!(
        !attrs(html, "main a[href='/']", "href").is_empty(),
        "{uri}: a way back to the start page"
    );
}

mod home {
    use super::*;

    #[tokio::test]
    async fn the_start_page_redirects_to_the_only_region() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let fetched = fetch(&app(db.store.clone()).await, "/").await;
            assert_eq!(
                fetched.status,
                StatusCode::SEE_OTHER,
                "{}",
                db.store.backend()
            );
            assert_eq!(
                fetched
                    .headers
                    .get("location")
                    .and_then(|v| v.to_str().ok()),
                Some(format!("/regions/{}", sample.region).as_str())
            );
        }
    }

    #[tokio::test]
    async fn the_start_page_of_an_empty_database_says_there_are_no_schools_and_how_to_load_them() {
        let db = TestDb::sqlite().await;
        let app = app(db.store.clone()).await;
        let start = fetch(&app, "/").await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "nobody is signed in");
        let html = ok_page(&app, "/login").await;
        let empty = text_of(&html, ".empty");
        assert!(empty.contains("В базе данных пока нет школ"), "{empty}");
        assert!(empty.contains("orientir import schools"), "{empty}");
        assert_eq!(count(&html, "main li a"), 0, "no region is listed");
    }

    #[tokio::test]
    async fn the_start_page_lists_every_region_when_there_are_several() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let mut other = school("3001", "Школа № 1", "Посёлок В", Locality::City, "СОШ", 10);
            other.region = "Другая область".to_owned();
            db.store.import_schools(&[other]).await.expect("import");
            let html = ok_page(&app(db.store.clone()).await, "/").await;
            assert_eq!(texts(&html, "main li a"), ["Другая область", REGION]);
            assert!(
                attrs(&html, "main li a", "href").contains(&format!("/regions/{}", sample.region)),
                "each region links to its page"
            );
        }
    }
}

mod region_page {
    use super::*;

    #[tokio::test]
    async fn the_region_page_counts_schools_by_status_per_municipality_in_the_latest_year() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let html = ok_page(
                &app(db.store.clone()).await,
                &format!("/regions/{}", sample.region),
            )
            .await;
            assert_eq!(text_of(&html, "h1"), REGION);
            assert_eq!(
                text_of(&html, ".lead"),
                "Статусы школ в 2024/2025 учебном году"
            );
            assert_eq!(
                texts(&html, "#municipalities thead th"),
                [
                    "Муниципалитет",
                    "Школ",
                    "ШНОР",
                    "ШНСУ",
                    "Зона риска",
                    "Школа-наставник"
                ]
            );
            // 1002's ШНОР was removed by order, so Город А has two ШНОР, not three.
            assert_eq!(
                rows(&html, "#municipalities tbody tr"),
                [
                    vec![TOWN, "4", "2", "0", "0", "1"],
                    vec![DISTRICT, "1", "0", "1", "0", "0"],
                ],
                "{backend}"
            );
            assert_eq!(
                rows(&html, "#municipalities tfoot tr"),
                [vec!["Всего", "5", "2", "1", "0", "1"]],
                "{backend}"
            );
            assert_eq!(
                attrs(&html, "#municipalities tbody th a", "href"),
                [
                    format!("/municipalities/{}?year=2024", sample.town),
                    format!("/municipalities/{}?year=2024", sample.district),
                ]
            );
            let town_low_results = attrs(&html, "#municipalities tbody tr td a", "href")[0].clone();
            assert_eq!(
                town_low_results,
                format!(
                    "/municipalities/{}?year=2024&status=low_results",
                    sample.town
                ),
                "a count links to the filtered list"
            );
        }
    }

    #[tokio::test]
    async fn the_year_selector_lists_years_latest_first_with_the_shown_year_selected() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let app = app(db.store.clone()).await;
            let html = ok_page(&app, &format!("/regions/{}", sample.region)).await;
            assert_eq!(
                attrs(&html, "select#year option", "value"),
                ["2024", "2023"]
            );
            assert_eq!(
                texts(&html, "select#year option"),
                ["2024/2025 учебный год", "2023/2024 учебный год"]
            );
            assert_eq!(
                attrs(&html, "select#year option[selected]", "value"),
                ["2024"]
            );

            let html = ok_page(&app, &format!("/regions/{}?year=2023", sample.region)).await;
            assert_eq!(
                attrs(&html, "select#year option[selected]", "value"),
                ["2023"]
            );
        }
    }

    #[tokio::test]
    async fn choosing_an_earlier_year_shows_that_years_counts_and_keeps_it_in_links() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let html = ok_page(
                &app(db.store.clone()).await,
                &format!("/regions/{}?year=2023/2024", sample.region),
            )
            .await;
            assert_eq!(
                text_of(&html, ".lead"),
                "Статусы школ в 2023/2024 учебном году"
            );
            assert_eq!(
                rows(&html, "#municipalities tbody tr"),
                [
                    vec![TOWN, "4", "1", "0", "1", "0"],
                    vec![DISTRICT, "1", "0", "0", "0", "0"],
                ],
                "{backend}"
            );
            assert_eq!(
                rows(&html, "#municipalities tfoot tr"),
                [vec!["Всего", "5", "1", "0", "1", "0"]],
                "{backend}"
            );
            assert_eq!(
                attrs(&html, "#municipalities tbody th a", "href")[0],
                format!("/municipalities/{}?year=2023", sample.town)
            );
        }
    }

    #[tokio::test]
    async fn a_year_that_is_not_a_year_is_a_400_page_naming_the_parameter() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let uri = format!("/regions/{}?year=abc", sample.region);
        let (status, html) = page(&app(db.store.clone()).await, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_error_page(&html, "Неверный запрос", &uri);
        let message = texts(&html, "main p").join(" ");
        assert!(message.contains("Параметр year"), "{message}");
        assert!(
            message.contains("abc"),
            "the wrong value is quoted: {message}"
        );
    }

    #[tokio::test]
    async fn an_unknown_region_is_a_404_page_in_russian_within_the_layout() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let uri = "/regions/999999";
        let (status, html) = page(&app(db.store.clone()).await, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error_page(&html, "Страница не найдена", uri);
        assert!(
            texts(&html, "main p")
                .join(" ")
                .contains("Регион с номером 999999 не найден"),
            "the page says what was not found"
        );
    }

    #[tokio::test]
    async fn a_region_id_that_is_not_a_number_is_a_404_page_in_russian() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let uri = "/regions/abc";
        let (status, html) = page(&app(db.store.clone()).await, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error_page(&html, "Страница не найдена", uri);
    }

    #[tokio::test]
    async fn an_unknown_address_is_a_404_page_in_russian() {
        let db = TestDb::sqlite().await;
        let uri = "/no/such/page";
        let (status, html) = page(&app(db.store.clone()).await, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error_page(&html, "Страница не найдена", uri);
        assert!(texts(&html, "main p").join(" ").contains(uri));
    }
}

mod municipality_page {
    use super::*;

    const ALL_SCHOOLS: [&str; 4] = [
        "Гимназия № 1",
        "Ёлкинская ООШ",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ];

    fn names(html: &scraper::Html) -> Vec<String> {
        texts(html, "#schools tbody th a")
    }

    #[tokio::test]
    async fn the_school_list_shows_every_school_in_russian_order_with_its_statuses() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let html = ok_page(
                &app(db.store.clone()).await,
                &format!("/municipalities/{}", sample.town),
            )
            .await;
            assert_eq!(text_of(&html, "h1"), TOWN);
            assert_eq!(texts(&html, ".breadcrumbs a"), [REGION]);
            assert_eq!(
                attrs(&html, ".breadcrumbs a", "href"),
                [format!("/regions/{}?year=2024", sample.region)]
            );
            assert_eq!(
                names(&html),
                ALL_SCHOOLS,
                "{backend}: «Ё» with «Е», № 2 before № 10"
            );
            assert_eq!(
                rows(&html, "#schools tbody tr"),
                [
                    vec![
                        "Гимназия № 1",
                        "Гимназия",
                        "город",
                        "900",
                        "Школа-наставник"
                    ],
                    vec!["Ёлкинская ООШ", "ООШ", "село", "40", "ШНОР"],
                    // The 2024 ШНОР of № 2 was removed by order: no badge.
                    vec!["МБОУ СОШ № 2", "СОШ", "город", "650", ""],
                    vec!["МБОУ СОШ № 10", "СОШ", "город", "800", "ШНОР"],
                ],
                "{backend}"
            );
            assert_eq!(
                attrs(&html, "#schools tbody th a", "href")[3],
                "/schools/1001"
            );
            assert_eq!(text_of(&html, "#found"), "Найдено: 4 школы");
            assert_eq!(count(&html, "a.link-button"), 0, "nothing to reset");
            assert_eq!(
                attrs(&html, "select#kind option", "value"),
                ["", "Гимназия", "ООШ", "СОШ"],
                "the kinds on offer are those of this municipality"
            );
        }
    }

    #[tokio::test]
    async fn filters_by_status_locality_and_kind_narrow_the_list() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let app = app(db.store.clone()).await;
            let path = format!("/municipalities/{}", sample.town);

            let html = ok_page(&app, &format!("{path}?status=low_results")).await;
            assert_eq!(
                names(&html),
                ["Ёлкинская ООШ", "МБОУ СОШ № 10"],
                "{backend}"
            );
            assert_eq!(text_of(&html, "#found"), "Найдено: 2 школы");
            assert_eq!(
                attrs(&html, "select#status option[selected]", "value"),
                ["low_results"],
                "the chosen filter stays chosen"
            );

            let html = ok_page(&app, &format!("{path}?status=low_results&year=2023")).await;
            assert_eq!(names(&html), ["МБОУ СОШ № 2"], "{backend}: 2023's list");
            assert_eq!(text_of(&html, "#found"), "Найдено: 1 школа");

            let html = ok_page(&app, &format!("{path}?locality=village")).await;
            assert_eq!(names(&html), ["Ёлкинская ООШ"], "{backend}");
            assert_eq!(
                attrs(&html, "select#locality option[selected]", "value"),
                ["village"]
            );

            // «СОШ», URL-encoded as a browser sends it.
            let html = ok_page(&app, &format!("{path}?kind=%D0%A1%D0%9E%D0%A8")).await;
            assert_eq!(names(&html), ["МБОУ СОШ № 2", "МБОУ СОШ № 10"], "{backend}");
            assert_eq!(
                attrs(&html, "select#kind option[selected]", "value"),
                ["СОШ"]
            );

            let html = ok_page(&app, &format!("{path}?status=social_risk")).await;
            assert!(names(&html).is_empty(), "{backend}");
            assert_eq!(text_of(&html, "#found"), "Найдено: 0 школ");
            assert_eq!(text_of(&html, "p.empty"), "Нет школ, подходящих под отбор.");
        }
    }

    #[tokio::test]
    async fn empty_filter_values_sent_by_the_form_mean_all_schools() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let html = ok_page(
            &app(db.store.clone()).await,
            &format!(
                "/municipalities/{}?year=2024&status=&locality=&kind=",
                sample.town
            ),
        )
        .await;
        assert_eq!(names(&html), ALL_SCHOOLS);
        assert_eq!(count(&html, "a.link-button"), 0);
    }

    #[tokio::test]
    async fn the_reset_link_drops_the_filters_but_keeps_the_year() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let html = ok_page(
            &app,
            &format!(
                "/municipalities/{}?year=2023&status=low_results&locality=city",
                sample.town
            ),
        )
        .await;
        let reset = attrs(&html, "a.link-button", "href");
        assert_eq!(
            reset,
            [format!("/municipalities/{}?year=2023", sample.town)]
        );
        assert_eq!(text_of(&html, "a.link-button"), "Сбросить отбор");
        let html = ok_page(&app, &reset[0]).await;
        assert_eq!(names(&html), ALL_SCHOOLS);
    }

    #[tokio::test]
    async fn sorting_by_students_descending_orders_by_number_and_marks_the_column() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let html = ok_page(
                &app(db.store.clone()).await,
                &format!("/municipalities/{}?sort=students&order=desc", sample.town),
            )
            .await;
            assert_eq!(
                names(&html),
                [
                    "Гимназия № 1",
                    "МБОУ СОШ № 10",
                    "МБОУ СОШ № 2",
                    "Ёлкинская ООШ"
                ],
                "{backend}"
            );
            let students: Vec<i64> = texts(&html, "#schools tbody td.num")
                .iter()
                .map(|n| n.replace(' ', "").parse().expect("a number of students"))
                .collect();
            assert_eq!(students, [900, 800, 650, 40]);
            assert_eq!(
                attrs(&html, "#schools thead th[aria-sort]", "aria-sort"),
                ["descending"]
            );
            assert_eq!(
                texts(&html, "#schools thead th[aria-sort]"),
                ["Обучающихся"],
                "only the sorted column says it is sorted"
            );
        }
    }

    #[tokio::test]
    async fn column_header_links_keep_the_filters_and_flip_the_order_of_the_sorted_column() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let html = ok_page(
            &app,
            &format!(
                "/municipalities/{}?status=low_results&sort=students&order=desc",
                sample.town
            ),
        )
        .await;
        assert_eq!(names(&html), ["МБОУ СОШ № 10", "Ёлкинская ООШ"]);
        let links = attrs(&html, "#schools thead th a", "href");
        assert_eq!(links.len(), 4);
        for link in &links {
            assert!(
                link.contains("status=low_results"),
                "{link} keeps the status"
            );
            assert!(link.contains("year=2024"), "{link} keeps the year");
        }
        let by_students = &links[3];
        assert!(by_students.contains("sort=students"), "{by_students}");
        assert!(
            !by_students.contains("order=desc"),
            "a second click sorts ascending: {by_students}"
        );
        let html = ok_page(&app, by_students).await;
        assert_eq!(names(&html), ["Ёлкинская ООШ", "МБОУ СОШ № 10"]);
        assert_eq!(
            attrs(&html, "#schools thead th[aria-sort]", "aria-sort"),
            ["ascending"]
        );
        let again = &attrs(&html, "#schools thead th a", "href")[3];
        assert!(again.contains("order=desc"), "{again}");
    }

    #[tokio::test]
    async fn unknown_filter_values_are_a_400_page_naming_the_parameter() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        for (query, parameter) in [
            ("status=foo", "status"),
            ("locality=town", "locality"),
            ("sort=colour", "sort"),
            ("order=up", "order"),
            ("year=20x4", "year"),
        ] {
            let uri = format!("/municipalities/{}?{query}", sample.town);
            let (status, html) = page(&app, &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_error_page(&html, "Неверный запрос", &uri);
            let message = texts(&html, "main p").join(" ");
            assert!(
                message.contains(&format!("Параметр {parameter}")),
                "{uri}: {message}"
            );
        }
    }

    #[tokio::test]
    async fn a_parameter_given_twice_is_a_400_page_in_russian() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let uri = format!("/municipalities/{}?year=2024&year=2023", sample.town);
        let (status, html) = page(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_error_page(&html, "Неверный запрос", &uri);
        let message = texts(&html, "main p").join(" ");
        assert!(
            message.contains("Параметры адреса не распознаны"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn an_unknown_municipality_is_a_404_page() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        for uri in [
            format!("/municipalities/{}", sample.district + 1000),
            "/municipalities/abc".to_owned(),
        ] {
            let (status, html) = page(&app, &uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_error_page(&html, "Страница не найдена", &uri);
        }
    }
}

mod school_page {
    use super::*;

    #[tokio::test]
    async fn the_school_card_shows_the_schools_attributes_and_where_it_is() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let html = ok_page(&app(db.store.clone()).await, "/schools/1002").await;
            assert_eq!(text_of(&html, "h1"), "МБОУ СОШ № 2");
            assert_eq!(texts(&html, ".breadcrumbs a"), [REGION, TOWN]);
            assert_eq!(
                attrs(&html, ".breadcrumbs a", "href"),
                [
                    format!("/regions/{}", sample.region),
                    format!("/municipalities/{}", sample.town)
                ]
            );
            let facts = definitions(&html, "#facts");
            let fact = |label: &str| {
                facts
                    .iter()
                    .find(|(l, _)| l == label)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_else(|| panic!("fact «{label}» is shown"))
            };
            assert_eq!(fact("Код школы"), "1002");
            assert_eq!(fact("Вид организации"), "СОШ");
            assert_eq!(fact("Местность"), "город");
            assert_eq!(fact("Обучающихся"), "650");
            let social = definitions(&html, "#social");
            assert_eq!(social.len(), 6);
            assert_eq!(
                social[0],
                (
                    "Обучающиеся из малообеспеченных семей".to_owned(),
                    "23 %".to_owned()
                )
            );
            assert_eq!(social[1].1, "нет данных", "unknown shares say so");
        }
    }

    #[tokio::test]
    async fn statuses_by_year_show_only_decisions_in_force() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            load_sample(&db.store).await;
            let html = ok_page(&app(db.store.clone()).await, "/schools/1002").await;
            assert_eq!(
                text_of(&html, "#statuses-title"),
                "Статусы по учебным годам"
            );
            assert_eq!(
                rows(&html, "#statuses tbody tr"),
                [vec!["2024/2025", "нет"], vec!["2023/2024", "ШНОР"]],
                "{backend}: the removed 2024 ШНОР is not in force"
            );
        }
    }

    #[tokio::test]
    async fn the_decision_history_marks_superseded_records_and_names_the_order() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            load_sample(&db.store).await;
            let html = ok_page(&app(db.store.clone()).await, "/schools/1002").await;
            let history = rows(&html, "#history tbody tr");
            assert_eq!(history.len(), 3, "{backend}: every decision is kept");
            // Newest first: the removal, the 2024 assignment it replaced, the 2023 assignment.
            assert_eq!(
                history[0][..5],
                [
                    "2024/2025",
                    "ШНОР",
                    "снят",
                    "приказ № 01-04-181 от 15.10.2024",
                    "Снят решением комиссии"
                ],
                "{backend}"
            );
            assert_eq!(
                history[1][..4],
                [
                    "2024/2025",
                    "ШНОР",
                    "присвоен (заменено более поздним решением)",
                    "правило выявления, версия 2024.1"
                ],
                "{backend}"
            );
            assert_eq!(
                history[2][..3],
                ["2023/2024", "ШНОР", "присвоен"],
                "{backend}"
            );
            let superseded: Vec<bool> = html
                .select(&selector("#history tbody tr"))
                .map(|row| row.value().classes().any(|c| c == "superseded"))
                .collect();
            assert_eq!(superseded, [false, true, false], "{backend}");
        }
    }

    #[tokio::test]
    async fn the_people_responsible_for_the_school_are_listed_with_their_roles() {
        for db in TestDb::all().await {
            load_sample(&db.store).await;
            let app = app(db.store.clone()).await;
            let html = ok_page(&app, "/schools/1002").await;
            assert_eq!(
                rows(&html, "#people tbody tr"),
                [vec!["Руководитель ОО", "Бабкина Н.А.", "Директор"]]
            );
            let html = ok_page(&app, "/schools/1001").await;
            assert_eq!(count(&html, "#people"), 0);
            assert!(
                texts(&html, "p.muted").contains(&"Ответственные не назначены.".to_owned()),
                "a school without people says so"
            );
        }
    }

    #[tokio::test]
    async fn a_school_without_statuses_says_none_were_assigned() {
        let db = TestDb::sqlite().await;
        db.store
            .import_schools(&[school("7001", "Новая НОШ", TOWN, Locality::City, "НОШ", 15)])
            .await
            .expect("import");
        let html = ok_page(&app(db.store.clone()).await, "/schools/7001").await;
        assert_eq!(count(&html, "#statuses"), 0);
        assert_eq!(count(&html, "#history"), 0);
        assert!(texts(&html, "p.empty").contains(&"Статусы школе не присваивались.".to_owned()));
    }

    #[tokio::test]
    async fn an_unknown_school_is_a_404_page() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        for uri in ["/schools/9999", "/schools/no%20such%20code"] {
            let (status, html) = page(&app, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_error_page(&html, "Страница не найдена", uri);
        }
    }
}

mod escaping {
    use super::*;

    const HOSTILE: &str = "<script>alert(1)</script>";

    #[tokio::test]
    async fn a_school_name_with_markup_is_shown_as_text_on_every_page() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        db.store
            .import_schools(&[school("6660", HOSTILE, TOWN, Locality::City, "СОШ", 1)])
            .await
            .expect("import the hostile name");
        let app = app(db.store.clone()).await;

        let html = ok_page(&app, &format!("/municipalities/{}", sample.town)).await;
        assert_eq!(count(&html, "script"), 0, "no script element was injected");
        assert!(
            texts(&html, "#schools tbody th a").contains(&HOSTILE.to_owned()),
            "the name is shown literally"
        );

        let html = ok_page(&app, "/schools/6660").await;
        assert_eq!(count(&html, "script"), 0, "no script element was injected");
        assert_eq!(text_of(&html, "h1"), HOSTILE);
        assert_eq!(text_of(&html, "title"), format!("{HOSTILE} — Ориентир"));

        let (status, body) = json(&app, "/api/v1/schools/6660").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["name"], HOSTILE, "the API gives the name unchanged");
    }

    #[tokio::test]
    async fn a_hostile_path_is_not_echoed_as_markup_on_the_404_page() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let (status, html) = page(
            &app(db.store.clone()).await,
            "/schools/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(count(&html, "script"), 0);
        assert!(texts(&html, "main p").join(" ").contains(HOSTILE));
    }
}

mod layout {
    use super::*;

    /// What every page of the site must have, whatever it shows.
    fn assert_accessible_layout(html: &scraper::Html, uri: &str) {
        assert_eq!(
            count(html, "html[lang='ru']"),
            1,
            "{uri}: <html lang=\"ru\">"
        );
        let title = text_of(html, "head title");
        assert!(
            title.ends_with("— Ориентир") && title.len() > "— Ориентир".len() + 1,
            "{uri}: a title naming the page, got «{title}»"
        );
        assert_eq!(count(html, "h1"), 1, "{uri}: exactly one h1");
        assert_eq!(
            attrs(html, "body > a.skip-link", "href"),
            ["#content"],
            "{uri}: the skip link"
        );
        assert_eq!(
            count(html, "main#content"),
            1,
            "{uri}: the skip link's target"
        );
        assert_eq!(count(html, "nav.site-nav"), 1, "{uri}: the site navigation");
        for id in attrs(html, "select[id]", "id") {
            assert_eq!(
                count(html, &format!("label[for='{id}']")),
                1,
                "{uri}: the select #{id} has a label"
            );
        }
        assert_eq!(
            count(html, "select:not([id])"),
            0,
            "{uri}: every select can be labelled"
        );
    }

    #[tokio::test]
    async fn every_page_is_russian_titled_with_one_h1_a_skip_link_and_labelled_selects() {
        let db = TestDb::sqlite().await;
        let demo = load_demo(&db.store).await;
        let app = app(db.store.clone()).await;
        let pages = [
            format!("/regions/{}", demo.region),
            format!("/municipalities/{}", demo.municipality),
            format!(
                "/municipalities/{}?status=low_results&sort=students&order=desc",
                demo.municipality
            ),
            format!("/schools/{}", demo.school),
            format!("/regions/{}?year=abc", demo.region),
            "/regions/999999".to_owned(),
            "/no/such/page".to_owned(),
        ];
        for uri in &pages {
            let (_, html) = page(&app, uri).await;
            assert_accessible_layout(&html, uri);
        }
        let region = ok_page(&app, &pages[0]).await;
        assert!(
            count(&region, "select") > 0,
            "the region page has a year select"
        );
        let municipality = ok_page(&app, &pages[1]).await;
        assert_eq!(
            count(&municipality, "select"),
            4,
            "year, status, locality, kind"
        );

        let empty = TestDb::sqlite().await;
        let (_, html) = page(&support::app(empty.store.clone()).await, "/login").await;
        assert_accessible_layout(&html, "/login (empty database)");
    }

    #[tokio::test]
    async fn the_region_list_page_has_the_same_layout() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let mut other = school("3001", "Школа № 1", "Посёлок В", Locality::City, "СОШ", 10);
        other.region = "Другая область".to_owned();
        db.store.import_schools(&[other]).await.expect("import");
        let html = ok_page(&app(db.store.clone()).await, "/").await;
        assert_accessible_layout(&html, "/ (two regions)");
    }
}

mod service {
    use super::*;

    #[tokio::test]
    async fn the_stylesheet_and_icon_are_served_with_their_types() {
        let db = TestDb::sqlite().await;
        let app = app(db.store.clone()).await;
        let css = fetch(&app, "/static/style.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.content_type().starts_with("text/css"),
            "{}",
            css.content_type()
        );
        assert!(
            css.body.contains(".skip-link"),
            "the real stylesheet is served"
        );
        let icon = fetch(&app, "/static/favicon.svg").await;
        assert_eq!(icon.status, StatusCode::OK);
        assert_eq!(icon.content_type(), "image/svg+xml");
        assert!(icon.body.contains("<svg"));
    }

    #[tokio::test]
    async fn the_health_check_reports_ok_and_names_the_database() {
        for db in TestDb::all().await {
            let database = if db.url.starts_with("sqlite:") {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            let (status, body) = json(&app(db.store.clone()).await, "/healthz").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                body,
                serde_json::json!({ "status": "ok", "database": database })
            );
        }
    }
}

mod api {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn regions_are_listed_with_ids_and_names() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let (status, body) = json(&app(db.store.clone()).await, "/api/v1/regions").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, json!([{ "id": sample.region, "name": REGION }]));
        }
    }

    #[tokio::test]
    async fn a_region_gives_its_municipalities_with_status_counts_for_the_asked_year() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let app = app(db.store.clone()).await;
            let (status, body) = json(&app, &format!("/api/v1/regions/{}", sample.region)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["school_year"], 2024, "the latest year by default");
            assert_eq!(
                body["municipalities"][0],
                json!({
                    "id": sample.town, "name": TOWN, "schools": 4,
                    "statuses": { "low_results": 2, "social_risk": 0, "declining": 0, "mentor": 1 }
                }),
                "{backend}"
            );

            let (status, body) = json(
                &app,
                &format!("/api/v1/regions/{}?year=2023", sample.region),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                body,
                json!({
                    "id": sample.region,
                    "name": REGION,
                    "school_year": 2023,
                    "municipalities": [
                        { "id": sample.town, "name": TOWN, "schools": 4,
                          "statuses": { "low_results": 1, "social_risk": 0, "declining": 1, "mentor": 0 } },
                        { "id": sample.district, "name": DISTRICT, "schools": 1,
                          "statuses": { "low_results": 0, "social_risk": 0, "declining": 0, "mentor": 0 } }
                    ]
                }),
                "{backend}"
            );
        }
    }

    #[tokio::test]
    async fn years_are_listed_latest_first_with_labels() {
        for db in TestDb::all().await {
            load_sample(&db.store).await;
            let (status, body) = json(&app(db.store.clone()).await, "/api/v1/years").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                body,
                json!([
                    { "school_year": 2024, "label": "2024/2025" },
                    { "school_year": 2023, "label": "2023/2024" }
                ])
            );
        }
    }

    #[tokio::test]
    async fn a_municipalitys_schools_are_filtered_and_sorted_as_on_its_page() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let uri = format!(
                "/api/v1/municipalities/{}/schools?status=low_results&sort=students&order=desc",
                sample.town
            );
            let (status, body) = json(&app(db.store.clone()).await, &uri).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                body,
                json!({
                    "municipality": { "id": sample.town, "name": TOWN,
                                      "region": { "id": sample.region, "name": REGION } },
                    "school_year": 2024,
                    "schools": [
                        { "id": "1001", "name": "МБОУ СОШ № 10", "kind": "СОШ", "locality": "city",
                          "students": 800, "statuses": ["low_results"] },
                        { "id": "1003", "name": "Ёлкинская ООШ", "kind": "ООШ", "locality": "village",
                          "students": 40, "statuses": ["low_results"] }
                    ]
                }),
                "{backend}"
            );
        }
    }

    #[tokio::test]
    async fn a_school_gives_its_attributes_social_context_and_every_decision() {
        for db in TestDb::all().await {
            let backend = db.store.backend();
            let sample = load_sample(&db.store).await;
            let (status, body) = json(&app(db.store.clone()).await, "/api/v1/schools/1002").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["id"], "1002");
            assert_eq!(body["name"], "МБОУ СОШ № 2");
            assert_eq!(body["kind"], "СОШ");
            assert_eq!(body["locality"], "city");
            assert_eq!(body["students"], 650);
            assert_eq!(
                body["municipality"],
                json!({ "id": sample.town, "name": TOWN, "region": { "id": sample.region, "name": REGION } })
            );
            assert_eq!(body["social"]["low_income"], 0.23);
            assert_eq!(body["social"]["single_parent"], serde_json::Value::Null);
            assert!(body["updated_at"].is_string(), "updated_at is a timestamp");

            let statuses = body["statuses"].as_array().expect("statuses is an array");
            let summary: Vec<_> = statuses
                .iter()
                .map(|s| {
                    (
                        s["school_year"].as_i64(),
                        s["status"].as_str(),
                        s["decision"].as_str(),
                        s["in_force"].as_bool(),
                    )
                })
                .collect();
            assert_eq!(
                summary,
                [
                    (
                        Some(2023),
                        Some("low_results"),
                        Some("assigned"),
                        Some(true)
                    ),
                    (
                        Some(2024),
                        Some("low_results"),
                        Some("assigned"),
                        Some(false)
                    ),
                    (Some(2024), Some("low_results"), Some("removed"), Some(true)),
                ],
                "{backend}: oldest first"
            );
            assert_eq!(
                statuses[0]["source"],
                json!({ "kind": "rule_run", "rule_version": "2024.1" })
            );
            assert_eq!(
                statuses[2]["source"],
                json!({ "kind": "manual", "order_number": "01-04-181", "order_date": "2024-10-15" })
            );
            assert_eq!(statuses[2]["note"], "Снят решением комиссии");
        }
    }

    #[tokio::test]
    async fn errors_are_json_with_a_russian_message_and_the_right_status() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let app = app(db.store.clone()).await;
            let cases = [
                (
                    "/api/v1/regions/999999".to_owned(),
                    StatusCode::NOT_FOUND,
                    "Регион с номером 999999 не найден",
                ),
                (
                    format!("/api/v1/regions/{}?year=abc", sample.region),
                    StatusCode::BAD_REQUEST,
                    "Параметр year",
                ),
                (
                    "/api/v1/municipalities/999999/schools".to_owned(),
                    StatusCode::NOT_FOUND,
                    "Муниципалитет с номером 999999 не найден",
                ),
                (
                    format!("/api/v1/municipalities/{}/schools?status=foo", sample.town),
                    StatusCode::BAD_REQUEST,
                    "Параметр status = «foo»",
                ),
                (
                    format!(
                        "/api/v1/municipalities/{}/schools?order=sideways",
                        sample.town
                    ),
                    StatusCode::BAD_REQUEST,
                    "Параметр order",
                ),
                (
                    "/api/v1/schools/9999".to_owned(),
                    StatusCode::NOT_FOUND,
                    "Школа с кодом «9999» не найдена",
                ),
                (
                    "/api/v1/nothing/here".to_owned(),
                    StatusCode::NOT_FOUND,
                    "Адрес /api/v1/nothing/here не найден",
                ),
                (
                    "/api/v1/regions/abc".to_owned(),
                    StatusCode::NOT_FOUND,
                    "не найден",
                ),
            ];
            for (uri, expected, message) in cases {
                let (status, body) = json(&app, &uri).await;
                assert_eq!(status, expected, "{uri}: {body}");
                let object = body.as_object().expect("the error is an object");
                assert_eq!(object.len(), 1, "{uri}: only the error field, got {body}");
                let error = body["error"].as_str().expect("error is a string");
                assert!(
                    error.contains(message),
                    "{uri}: «{error}» should say «{message}»"
                );
            }
        }
    }
}

mod openapi {
    use super::*;
    use std::path::PathBuf;

    fn snapshot_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json")
    }

    #[test]
    fn the_openapi_document_matches_the_committed_snapshot() {
        let document = orientir_web::openapi_document();
        assert!(
            document.starts_with('{'),
            "the document is JSON, got «{document}»"
        );
        let path = snapshot_path();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("create the snapshots directory");
            }
            std::fs::write(&path, format!("{document}\n")).expect("write the snapshot");
            eprintln!("updated {}", path.display());
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}. Create it with: UPDATE_SNAPSHOTS=1 cargo test -p orientir-web --test web openapi",
                path.display()
            )
        });
        if committed.trim_end() != document.trim_end() {
            let first_difference = committed
                .lines()
                .zip(document.lines())
                .enumerate()
                .find(|(_, (old, new))| old != new)
                .map_or_else(
                    || "one document is longer than the other".to_owned(),
                    |(i, (old, new))| {
                        format!("line {}:\n  snapshot: {old}\n  now:      {new}", i + 1)
                    },
                );
            panic!(
                "the OpenAPI document changed: the API's contract is not what {} says.\n\
                 First difference, {first_difference}\n\
                 If the change is intended, review it and update the snapshot with:\n    \
                 UPDATE_SNAPSHOTS=1 cargo test -p orientir-web --test web openapi\n\
                 and commit the new file.",
                path.display()
            );
        }
    }

    #[tokio::test]
    async fn the_served_openapi_document_is_the_same_document() {
        let db = TestDb::sqlite().await;
        let (status, served) = json(&app(db.store.clone()).await, "/api/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        let document: serde_json::Value = serde_json::from_str(&orientir_web::openapi_document())
            .expect("openapi_document() is valid JSON");
        assert_eq!(served, document);
        assert_eq!(served["info"]["title"], "Ориентир API");
    }

    #[tokio::test]
    async fn every_documented_path_is_routed() {
        let db = TestDb::sqlite().await;
        let demo = load_demo(&db.store).await;
        let app = app(db.store.clone()).await;
        let document: serde_json::Value = serde_json::from_str(&orientir_web::openapi_document())
            .expect("openapi_document() is valid JSON");
        let paths = document["paths"]
            .as_object()
            .expect("the document has paths");
        assert!(
            paths.len() >= 6,
            "all API paths are documented: {:?}",
            paths.keys()
        );
        let road_map = db
            .store
            .save_road_map(
                &orientir_domain::registry::Scope::Municipality(demo.municipality),
                &crate::api_execution::school_road_map(),
                None,
            )
            .await
            .expect("a road map for the execution paths");
        let key = db
            .store
            .road_map(road_map.id, None)
            .await
            .expect("read")
            .and_then(|m| m.activity_key(0, 0))
            .expect("an activity");
        for (template, operations) in paths {
            let uri = template
                .replace("/road-maps/{id}", &format!("/road-maps/{}", road_map.id))
                .replace("/activities/{key}", &format!("/activities/{key}"));
            if operations.get("get").is_none() {
                // Writes: routed (an anonymous POST is 401, not 404 or 405).
                let anonymous = orientir_web::app(db.store.clone());
                let (status, _, body) = post(&anonymous, &uri, "application/json", "{}").await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "POST {uri}: {body}");
                continue;
            }
            let uri = uri
                .replace("/regions/{id}", &format!("/regions/{}", demo.region))
                .replace(
                    "/municipalities/{id}",
                    &format!("/municipalities/{}", demo.municipality),
                )
                .replace("/schools/{id}", &format!("/schools/{}", demo.school));
            assert!(
                !uri.contains('{'),
                "{template}: this test does not know how to fill the parameter; teach it"
            );
            let fetched = fetch(&app, &uri).await;
            assert!(
                fetched.status != StatusCode::NOT_FOUND
                    && fetched.status != StatusCode::METHOD_NOT_ALLOWED,
                "{template} is documented but GET {uri} answers {}",
                fetched.status
            );
            assert_eq!(
                fetched.status,
                StatusCode::OK,
                "GET {uri}: {}",
                fetched.body
            );
        }
    }
}

mod road_map_page {
    use crate::support::app;
    use axum::http::StatusCode;
    use chrono::NaiveDate;
    use orientir_domain::period::{PeriodContext, parse_period};
    use orientir_domain::registry::Scope;
    use orientir_domain::roadmap::{Activity, Level, Order, RoadMap, Section};
    use orientir_store::testing::TestDb;

    use super::assert_error_page;
    use super::support::*;

    fn activity(number: &str, title: &str, period: &str, responsible: &[&str]) -> Activity {
        Activity {
            number: Some(number.to_owned()),
            title: title.to_owned(),
            period: Some(parse_period(period, &PeriodContext::school_year(2022))),
            responsible: responsible.iter().map(|r| (*r).to_owned()).collect(),
            output: Some("Справка".to_owned()),
            indicator: None,
            publicity: None,
            external_help: None,
        }
    }

    fn road_map() -> RoadMap {
        RoadMap {
            title: "Дорожная карта <b>поддержки</b> школ".to_owned(),
            level: Level::Municipal,
            owner: None,
            order: Some(Order {
                issuer: Some("МКУ «Управление образования»".to_owned()),
                number: Some("№ 01-04-181".to_owned()),
                date: NaiveDate::from_ymd_opt(2022, 7, 1),
                ..Order::default()
            }),
            period: PeriodContext::school_year(2022).document,
            goals: vec!["Повысить качество".to_owned()],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![
                Section {
                    title: "Трек 1 - Адресная поддержка".to_owned(),
                    tasks: vec!["Выявить школы".to_owned()],
                    planned_results: vec![],
                    activities: vec![
                        activity(
                            "1",
                            "Анализ результатов",
                            "Июнь – июль 2022 г.",
                            &["Руководители ОУ"],
                        ),
                        activity(
                            "2",
                            "Десант",
                            "когда-нибудь потом",
                            &["Бабкина Н.А.", "Зырянова М.А."],
                        ),
                    ],
                },
                Section {
                    title: "Трек 2 - Зона риска".to_owned(),
                    tasks: vec![],
                    planned_results: vec![],
                    activities: vec![activity("14", "Семинар", "В течение года", &[])],
                },
            ],
        }
    }

    #[tokio::test]
    async fn a_stored_road_map_is_shown_in_its_own_column_layout_with_sections() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let owner = Scope::Municipality(sample.town);
            let saved = db
                .store
                .save_road_map(&owner, &road_map(), Some("карта.docx"))
                .await
                .expect("save");
            let app = app(db.store.clone()).await;
            let html = ok_page(&app, &format!("/road-maps/{}", saved.id)).await;
            assert_eq!(texts(&html, "h1"), ["Дорожная карта <b>поддержки</b> школ"]);
            assert_eq!(count(&html, "h1 b"), 0, "markup in a title stays text");
            assert_eq!(
                texts(&html, "#approval"),
                ["Утверждена приказом МКУ «Управление образования» от 01.07.2022 № 01-04-181"]
            );
            assert!(texts(&html, "#meta")[0].contains("Версия 1, черновик"));
            assert_eq!(
                texts(&html, "#activities thead th:not(.no-print)"),
                [
                    "№",
                    "Мероприятие",
                    "Сроки",
                    "Ответственные",
                    "Итоговый документ / результат"
                ],
                "only the columns the document fills"
            );
            assert_eq!(
                texts(&html, "#activities .section-row th"),
                ["Трек 1 - Адресная поддержка", "Трек 2 - Зона риска"]
            );
            assert_eq!(count(&html, "#activities tr.activity"), 3);
            let numbers = texts(&html, "#activities tr.activity td:first-child");
            assert_eq!(numbers, ["1", "2", "14"], "numbering as written");
            assert_eq!(
                count(&html, ".badge-unresolved"),
                1,
                "the unreadable period is flagged, not guessed"
            );
            let crumbs = texts(&html, ".breadcrumbs a");
            assert_eq!(crumbs, [REGION, TOWN]);
            assert_eq!(
                count(&html, "#timeline g.tl-row"),
                3,
                "a timeline row per activity"
            );
            assert_eq!(
                count(&html, "#timeline rect.tl-bar"),
                2,
                "dated windows are bars"
            );
            assert_eq!(count(&html, "#timeline g.tl-unresolved"), 1);
            assert_eq!(
                count(&html, "#timeline text.tl-month"),
                15,
                "June 2022 (the first activity) to August 2023 (the end of the road map)"
            );

            let listing = ok_page(&app, &format!("/municipalities/{}", sample.town)).await;
            assert_eq!(
                texts(&listing, "#road-maps a"),
                ["Дорожная карта <b>поддержки</b> школ"]
            );
            let school = ok_page(&app, "/schools/1001").await;
            assert_eq!(count(&school, "#road-maps a"), 0);
            assert!(
                texts(&school, "#road-maps-title + p")[0].contains("--owner school:1001"),
                "an empty list says how to load one"
            );
        }
    }

    #[tokio::test]
    async fn the_road_map_downloads_as_docx_that_reads_back_and_as_xlsx() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let saved = db
            .store
            .save_road_map(&Scope::Municipality(sample.town), &road_map(), None)
            .await
            .expect("save");
        let app = app(db.store.clone()).await;
        let page_html = ok_page(&app, &format!("/road-maps/{}", saved.id)).await;
        let docx_href = page_html
            .select(&scraper::Selector::parse("#export-docx").expect("selector"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("a DOCX link")
            .to_owned();

        let docx = fetch_bytes(&app, &docx_href).await;
        assert_eq!(docx.0, StatusCode::OK);
        assert!(docx.1.contains("wordprocessingml"), "{}", docx.1);
        let (back, _) =
            orientir_ingest::roadmap::import_docx(&docx.2).expect("the DOCX reads back");
        let titles: Vec<&str> = back.activities().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Анализ результатов", "Десант", "Семинар"]);

        let xlsx = fetch_bytes(&app, &format!("/road-maps/{}/export/xlsx", saved.id)).await;
        assert_eq!(xlsx.0, StatusCode::OK);
        assert!(xlsx.1.contains("spreadsheetml"));
        assert!(xlsx.2.starts_with(b"PK"));

        let pdf = fetch_bytes(&app, &format!("/road-maps/{}/export/pdf", saved.id)).await;
        assert_eq!(pdf.0, StatusCode::NOT_FOUND);
    }

    /// Status, content type and raw body of a download.
    async fn fetch_bytes(app: &axum::Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
        let answer = crate::common::send(app, crate::common::request::get(uri)).await;
        (answer.status, answer.content_type().to_owned(), answer.body)
    }

    #[tokio::test]
    async fn unknown_road_maps_and_versions_are_404_and_bad_versions_400() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let saved = db
            .store
            .save_road_map(&Scope::Municipality(sample.town), &road_map(), None)
            .await
            .expect("save");
        let app = app(db.store.clone()).await;
        for uri in [
            format!("/road-maps/{}", saved.id + 1),
            format!("/road-maps/{}?version=2", saved.id),
            "/road-maps/abc".to_owned(),
        ] {
            let (status, html) = page(&app, &uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_error_page(&html, "Страница не найдена", &uri);
        }
        let uri = format!("/road-maps/{}?version=x", saved.id);
        let (status, html) = page(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            texts(&html, "main p")
                .join(" ")
                .contains("Параметр version")
        );
    }
}

mod road_map_upload {
    use crate::support::app;
    use axum::http::StatusCode;
    use orientir_store::testing::TestDb;

    use super::support::*;
    use crate::common::request::{Part, multipart_body, multipart_type};

    const SMALL_MAP: &str = "ПРИКАЗ\n\n№ 15\n\nДорожная карта по поддержке школ на 2024-2025 уч. год\n\n\
        №\tМероприятия\tСроки\tОтветственный\n\
        I. Организационная работа\t\t\t\n\
        1\tАнализ результатов ВПР\tСентябрь 2024 г.\tИванова А.А. Петров Б.Б.\n\
        2\tСеминар для школ\tВ течение года\tОтдел образования\n";

    fn multipart(owner: &str, file_name: &str, content: &[u8]) -> Vec<u8> {
        multipart_body(&[
            Part::Text("owner", owner),
            Part::File {
                field: "file",
                file_name,
                content_type: "application/octet-stream",
                bytes: content,
            },
        ])
    }

    fn hidden(html: &scraper::Html, name: &str) -> String {
        input_value(html, "#save-form", name)
    }

    #[tokio::test]
    async fn an_uploaded_document_is_previewed_then_saved_as_a_draft() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let owner = format!("municipality:{}", sample.town);

        let form = ok_page(&app, &format!("/road-maps/new?owner={owner}")).await;
        assert_eq!(
            count(&form, "label[for=file]"),
            1,
            "the file input is labelled"
        );
        assert_eq!(count(&form, "form[enctype='multipart/form-data']"), 1);

        let (status, _, body) = post(
            &app,
            "/road-maps/preview",
            &multipart_type(),
            multipart(&owner, "карта.txt", SMALL_MAP.as_bytes()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let preview = scraper::Html::parse_document(&body);
        assert_eq!(
            texts(&preview, "h1"),
            ["Дорожная карта по поддержке школ на 2024-2025 уч. год"]
        );
        assert_eq!(count(&preview, "#activities tr.activity"), 2);
        assert_eq!(
            texts(&preview, "#activities .section-row th"),
            ["I. Организационная работа"]
        );
        assert!(
            db.store
                .road_maps_of(&orientir_domain::registry::Scope::Municipality(sample.town))
                .await
                .expect("list")
                .is_empty(),
            "nothing is stored before the user confirms"
        );

        let form_body = serde_urlencoded::to_string([
            ("owner", hidden(&preview, "owner")),
            ("file_name", hidden(&preview, "file_name")),
            ("road_map", hidden(&preview, "road_map")),
        ])
        .expect("form");
        let (status, location, _) = post(
            &app,
            "/road-maps",
            "application/x-www-form-urlencoded",
            form_body.into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = location.expect("redirect to the road map");
        let page = ok_page(&app, &location).await;
        assert_eq!(
            texts(&page, "h1"),
            ["Дорожная карта по поддержке школ на 2024-2025 уч. год"]
        );
        assert!(texts(&page, "#meta")[0].contains("«карта.txt»"));
        let responsible = texts(&page, "#activities tr.activity td:nth-child(4)");
        assert!(
            responsible[0].contains("Иванова А.А.") && responsible[0].contains("Петров Б.Б."),
            "{responsible:?}"
        );
        assert_eq!(
            count(&page, "#activities tr.activity td:nth-child(4) br"),
            1,
            "two people, one per line"
        );
    }

    #[tokio::test]
    async fn a_document_that_cannot_be_read_returns_the_form_with_the_reason() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let owner = format!("municipality:{}", sample.town);
        for (name, content, reason) in [
            ("пусто.txt", Vec::new(), "файл пуст"),
            (
                "таблица.txt",
                "Просто текст\nбез таблицы\n".as_bytes().to_vec(),
                "в документе нет таблиц",
            ),
        ] {
            let (status, _, body) = post(
                &app,
                "/road-maps/preview",
                &multipart_type(),
                multipart(&owner, name, &content),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            let html = scraper::Html::parse_document(&body);
            let error = texts(&html, "#upload-error").join(" ");
            assert!(
                error.contains(name) && error.contains(reason),
                "{name}: {error}"
            );
            assert_eq!(
                count(&html, "input[type=file]"),
                1,
                "the form is offered again"
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_or_missing_owner_is_refused() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let (status, _) = page(&app, "/road-maps/new").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = page(&app, "/road-maps/new?owner=municipality:9999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = page(&app, "/road-maps/new?owner=school:1001").await;
        assert_eq!(status, StatusCode::OK);
    }
}

mod road_map_editing {
    use crate::support::app;
    use axum::http::StatusCode;
    use orientir_domain::period::{PeriodContext, parse_period};
    use orientir_domain::registry::Scope;
    use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
    use orientir_store::testing::TestDb;

    use super::support::*;

    fn activity(number: &str, title: &str, period: &str) -> Activity {
        Activity {
            number: Some(number.to_owned()),
            title: title.to_owned(),
            period: Some(parse_period(period, &PeriodContext::school_year(2024))),
            responsible: vec!["Иванова А.А.".to_owned()],
            output: None,
            indicator: None,
            publicity: None,
            external_help: None,
        }
    }

    fn road_map() -> RoadMap {
        RoadMap {
            title: "Дорожная карта школы".to_owned(),
            level: Level::School,
            owner: None,
            order: None,
            period: PeriodContext::school_year(2024).document,
            goals: vec![],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![Section {
                title: "I. Организационные мероприятия".to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: vec![
                    activity("1", "Первое", "Сентябрь 2024 г."),
                    activity("2", "Второе", "Октябрь 2024 г."),
                    activity("3", "Третье", "Ноябрь 2024 г."),
                ],
            }],
        }
    }

    fn titles(html: &scraper::Html) -> Vec<String> {
        texts(html, "#activities tr.activity td:nth-child(2)")
    }

    #[tokio::test]
    async fn activities_are_edited_added_moved_and_deleted_through_forms() {
        for db in TestDb::all().await {
            load_sample(&db.store).await;
            let owner =
                Scope::School(orientir_domain::registry::SchoolId::parse("1001").expect("id"));
            let id = db
                .store
                .save_road_map(&owner, &road_map(), None)
                .await
                .expect("save")
                .id;
            let app = app(db.store.clone()).await;
            let base = format!("/road-maps/{id}");

            let form = ok_page(&app, &format!("{base}/sections/0/activities/1/edit")).await;
            assert_eq!(
                texts(&form, "#title"),
                ["Второе"],
                "the form shows the activity"
            );
            assert_eq!(
                count(&form, "#activity-form label[for]"),
                count(
                    &form,
                    "#activity-form input:not([type=hidden]), #activity-form textarea"
                ),
                "every field has a label"
            );

            let (status, location, _) = post_form(
                &app,
                &format!("{base}/sections/0/activities/1"),
                &[
                    ("number", "2"),
                    ("title", "Второе (уточнено)"),
                    ("period", "до 15апреля 2025 г."),
                    ("responsible", "Петров Б.Б.\nСидорова В.В."),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            assert_eq!(
                location.as_deref(),
                Some(format!("{base}#activity-0-1").as_str())
            );
            let page = ok_page(&app, &base).await;
            assert_eq!(titles(&page), ["Первое", "Второе (уточнено)", "Третье"]);
            let stored = db.store.road_map(id, None).await.expect("q").expect("map");
            let edited = &stored.map.sections[0].activities[1];
            assert_eq!(edited.responsible, ["Петров Б.Б.", "Сидорова В.В."]);
            assert_eq!(
                edited.period.as_ref().map(|p| p.windows[0].to.to_string()),
                Some("2025-04-15".to_owned()),
                "the period is read as the importer reads it"
            );

            let (status, _, body) = post_form(
                &app,
                &format!("{base}/sections/0/activities/1"),
                &[("number", "2"), ("title", "   "), ("period", "Май 2025")],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            let html = scraper::Html::parse_document(&body);
            assert_eq!(
                texts(&html, "#title-error"),
                ["Укажите, что нужно сделать."]
            );
            assert_eq!(count(&html, "#title[aria-invalid=true]"), 1);
            let period_value = html
                .select(&scraper::Selector::parse("#period").expect("selector"))
                .next()
                .and_then(|i| i.value().attr("value"))
                .map(str::to_owned);
            assert_eq!(
                period_value.as_deref(),
                Some("Май 2025"),
                "what was typed is kept"
            );

            let (status, _, _) = post_form(
                &app,
                &format!("{base}/sections/0/activities"),
                &[
                    ("number", "4"),
                    ("title", "Четвёртое"),
                    ("period", "когда-нибудь"),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let (status, _, _) = post_form(
                &app,
                &format!("{base}/sections/0/activities/0/move"),
                &[("direction", "down")],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let (status, _, _) =
                post_form(&app, &format!("{base}/sections/0/activities/2/delete"), &[]).await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let page = ok_page(&app, &base).await;
            assert_eq!(titles(&page), ["Второе (уточнено)", "Первое", "Четвёртое"]);
            assert_eq!(
                count(&page, ".badge-unresolved"),
                1,
                "the added vague period is flagged"
            );
            let (status, _) =
                super::support::page(&app, &format!("{base}/sections/0/activities/9/edit")).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
    }

    #[tokio::test]
    async fn an_address_with_words_where_numbers_go_is_a_russian_404() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        for uri in [
            "/road-maps/1/sections/x/activities/0/edit",
            "/road-maps/abc/sections/0/activities/new",
            "/road-maps/abc/derive",
        ] {
            let (status, html) = page(&app, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            super::assert_error_page(&html, "Страница не найдена", uri);
        }
    }

    #[tokio::test]
    async fn an_approved_version_is_frozen_and_an_edit_starts_a_new_draft() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let owner = Scope::School(orientir_domain::registry::SchoolId::parse("1001").expect("id"));
        let id = db
            .store
            .save_road_map(&owner, &road_map(), None)
            .await
            .expect("save")
            .id;
        let app = app(db.store.clone()).await;
        let base = format!("/road-maps/{id}");

        let page = ok_page(&app, &base).await;
        assert_eq!(count(&page, "#approve"), 1, "a draft can be approved");
        let (status, _, _) = post_form(&app, &format!("{base}/approve"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let page = ok_page(&app, &base).await;
        assert_eq!(count(&page, "#approve"), 0);
        assert_eq!(count(&page, "#frozen-note"), 1);
        assert!(texts(&page, "#meta")[0].contains("Версия 1, утверждена"));

        let (status, _, _) =
            post_form(&app, &format!("{base}/sections/0/activities/2/delete"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let page = ok_page(&app, &base).await;
        assert!(texts(&page, "#meta")[0].contains("Версия 2, черновик"));
        assert_eq!(titles(&page), ["Первое", "Второе"]);
        assert_eq!(texts(&page, ".versions a"), ["1 (утверждена)"]);
        let old = ok_page(&app, &format!("{base}?version=1")).await;
        assert_eq!(
            titles(&old),
            ["Первое", "Второе", "Третье"],
            "version 1 is unchanged"
        );
        assert_eq!(
            count(&old, ".edit-activity"),
            0,
            "an old version offers no edits"
        );
    }
}

mod road_map_derive {
    use crate::support::app;
    use axum::http::StatusCode;
    use orientir_domain::period::{PeriodContext, parse_period};
    use orientir_domain::registry::{SchoolId, Scope};
    use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
    use orientir_store::testing::TestDb;

    use super::support::*;

    fn municipal() -> RoadMap {
        let activity = |title: &str| Activity {
            number: None,
            title: title.to_owned(),
            period: Some(parse_period(
                "Октябрь 2024 г.",
                &PeriodContext::school_year(2024),
            )),
            responsible: vec!["МОУО".to_owned()],
            output: Some("Справка".to_owned()),
            indicator: None,
            publicity: None,
            external_help: None,
        };
        RoadMap {
            title: "Муниципальная дорожная карта".to_owned(),
            level: Level::Municipal,
            owner: None,
            order: None,
            period: PeriodContext::school_year(2024).document,
            goals: vec![],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![Section {
                title: "Трек 1".to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: vec![
                    activity("Анализ результатов"),
                    activity("Методический десант"),
                ],
            }],
        }
    }

    #[tokio::test]
    async fn a_school_road_map_is_made_from_chosen_municipal_activities_with_the_schools_people() {
        let db = TestDb::sqlite().await;
        let sample = load_sample(&db.store).await;
        let id = db
            .store
            .save_road_map(&Scope::Municipality(sample.town), &municipal(), None)
            .await
            .expect("save")
            .id;
        let app = app(db.store.clone()).await;
        let map_page = ok_page(&app, &format!("/road-maps/{id}")).await;
        assert_eq!(count(&map_page, "#derive-school"), 1);
        let form = ok_page(&app, &format!("/road-maps/{id}/derive")).await;
        let schools = texts(&form, "#school option");
        assert_eq!(
            schools.len(),
            5,
            "a placeholder and the town's four schools: {schools:?}"
        );
        assert_eq!(
            count(&form, "input[name=pick][checked]"),
            2,
            "every activity is chosen at first"
        );

        let (status, _, body) = post(
            &app,
            &format!("/road-maps/{id}/derive"),
            FORM,
            "school=1002",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Отметьте хотя бы одно мероприятие"));

        let (status, location, _) = post(
            &app,
            &format!("/road-maps/{id}/derive"),
            FORM,
            "school=1002&pick=0-1",
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let created = ok_page(&app, &location.expect("the new road map")).await;
        assert!(texts(&created, "h1")[0].contains("МБОУ СОШ № 2"));
        assert_eq!(
            texts(&created, "#activities tr.activity td:nth-child(1)"),
            ["Методический десант"]
        );
        let school_maps = db
            .store
            .road_maps_of(&Scope::School(SchoolId::parse("1002").expect("id")))
            .await
            .expect("list");
        assert_eq!(school_maps.len(), 1);
        let stored = db
            .store
            .road_map(school_maps[0].id, None)
            .await
            .expect("q")
            .expect("map");
        assert_eq!(
            stored.map.sections[0].activities[0].responsible,
            ["Бабкина Н.А."],
            "the school's director becomes responsible"
        );

        let (status, _, _) = post(
            &app,
            &format!("/road-maps/{id}/derive"),
            FORM,
            "school=2001&pick=0-0",
        )
        .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "a school of another municipality is refused"
        );
        let (status, _) = page(&app, &format!("/road-maps/{}/derive", school_maps[0].id)).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "only a municipal road map is a base"
        );
    }
}

mod school_results {
    use crate::support::app;
    use orientir_domain::identify::Procedure;
    use orientir_domain::registry::SchoolId;
    use orientir_store::testing::TestDb;
    use orientir_store::{ResultCell, ResultsKind};

    use super::support::*;

    fn cell(
        year: i32,
        procedure: Procedure,
        subject: &str,
        grade: u8,
        participants: u64,
        failed: u64,
    ) -> ResultCell {
        ResultCell {
            school_id: SchoolId::parse("1003").expect("id"),
            year,
            procedure,
            subject: subject.to_owned(),
            grade,
            participants,
            failed,
            mark2: failed,
            mark3: participants - failed,
            mark4: 0,
            mark5: 0,
            score_sum: None,
            score_min: None,
            score_max: None,
            ege_scores: None,
        }
    }

    #[tokio::test]
    async fn the_school_card_shows_failing_shares_by_procedure_subject_and_year() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let empty = ok_page(&app, "/schools/1003").await;
        assert_eq!(count(&empty, "#results"), 0);
        assert!(texts(&empty, "#results-title + p")[0].contains("Результаты не загружены"));

        db.store
            .import_results(
                "results.csv",
                ResultsKind::Student,
                &[
                    cell(2023, Procedure::Vpr, "ru", 5, 10, 2),
                    cell(2024, Procedure::Vpr, "ru", 5, 6, 2),
                    cell(2024, Procedure::Vpr, "ru", 6, 4, 1),
                    cell(2024, Procedure::Oge, "math", 9, 8, 1),
                ],
                28,
                0,
            )
            .await
            .expect("import");
        let page = ok_page(&app, "/schools/1003").await;
        assert_eq!(
            texts(&page, "#results thead th"),
            ["Процедура, предмет", "2023", "2024", "Динамика"]
        );
        assert_eq!(
            texts(&page, "#results tbody th"),
            ["ВПР, русский язык", "ОГЭ, математика"]
        );
        let cells = texts(&page, "#results tbody td.num");
        assert_eq!(
            cells,
            ["2 из 10 (20 %)", "3 из 10 (30 %)", "—", "1 из 8 (13 %)"],
            "grades are pooled: 2 of 6 and 1 of 4 make 3 of 10"
        );
        assert_eq!(
            count(&page, "#results .over-threshold"),
            1,
            "30 % reaches the threshold"
        );
        assert_eq!(
            count(&page, "#results svg rect"),
            3,
            "one bar per year with results"
        );
    }
}

mod identification_page {
    use crate::support::app;
    use axum::http::{StatusCode, header};
    use orientir_domain::identify::Procedure;
    use orientir_domain::registry::SchoolId;
    use orientir_store::testing::TestDb;
    use orientir_store::{ResultCell, ResultsKind};

    use super::support::*;

    fn cell(
        school: &str,
        year: i32,
        procedure: Procedure,
        grade: u8,
        participants: u64,
        failed: u64,
    ) -> ResultCell {
        ResultCell {
            school_id: SchoolId::parse(school).expect("id"),
            year,
            procedure,
            subject: "ru".to_owned(),
            grade,
            participants,
            failed,
            mark2: failed,
            mark3: participants - failed,
            mark4: 0,
            mark5: 0,
            score_sum: None,
            score_min: None,
            score_max: None,
            ege_scores: None,
        }
    }

    /// School 1001 fails ВПР and ОГЭ in 2024 at 40 %; school 1002 at 3 of 10 (30 %) and 1 of 10.
    async fn load_results(store: &orientir_store::Store) {
        store
            .import_results(
                "results.csv",
                ResultsKind::Aggregated,
                &[
                    cell("1001", 2024, Procedure::Vpr, 5, 10, 4),
                    cell("1001", 2024, Procedure::Oge, 9, 10, 4),
                    cell("1002", 2024, Procedure::Vpr, 5, 10, 3),
                    cell("1002", 2024, Procedure::Oge, 9, 10, 3),
                    cell("1003", 2024, Procedure::Vpr, 5, 10, 1),
                ],
                50,
                0,
            )
            .await
            .expect("import");
    }

    #[tokio::test]
    async fn the_lists_follow_the_rule_and_a_what_if_shows_who_would_leave() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let app = app(db.store.clone()).await;
        let empty = ok_page(&app, "/identification").await;
        assert!(
            texts(&empty, "main .empty")
                .join(" ")
                .contains("не загружены")
        );

        load_results(&db.store).await;
        let html = ok_page(&app, "/identification").await;
        assert_eq!(
            texts(&html, "#low-results tbody th"),
            ["МБОУ СОШ № 10", "МБОУ СОШ № 2"],
            "3 of 10 is exactly 30 % and counts"
        );
        assert_eq!(count(&html, "#what-if"), 0);

        // 2023: only Ёлкинская fails two procedures, so by 2024 it has left and two have entered.
        db.store
            .import_results(
                "results-2023.csv",
                ResultsKind::Aggregated,
                &[
                    cell("1003", 2023, Procedure::Vpr, 5, 10, 5),
                    cell("1003", 2023, Procedure::Oge, 9, 10, 5),
                ],
                20,
                0,
            )
            .await
            .expect("import 2023");
        let moved = texts(
            &ok_page(&app, "/identification?year=2024").await,
            "#transitions li",
        );
        assert_eq!(
            moved,
            [
                "Вошли в список: 2 — МБОУ СОШ № 10; МБОУ СОШ № 2",
                "Остались в списке: 0",
                "Вышли из списка: 1 — Ёлкинская ООШ",
            ]
        );

        let stricter = ok_page(&app, "/identification?year=2024&share=0.35").await;
        assert_eq!(texts(&stricter, "#low-results tbody th"), ["МБОУ СОШ № 10"]);
        let what_if = texts(&stricter, "#what-if p").join(" ");
        assert!(
            what_if.contains("Выйдут из списка ШНОР: 1. МБОУ СОШ № 2"),
            "{what_if}"
        );

        let (status, html) = page(&app, "/identification?share=1.5").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(texts(&html, "main p").join(" ").contains("от 0 до 1"));
    }

    #[tokio::test]
    async fn the_lists_download_as_a_workbook_with_a_sheet_per_list() {
        use calamine::Reader;
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        load_results(&db.store).await;
        let app = app(db.store.clone()).await;
        let html = ok_page(&app, "/identification").await;
        let link = html
            .select(&scraper::Selector::parse("#export-xlsx").expect("selector"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("an XLSX link")
            .to_owned();
        let answer = send(&app, request::get(&link)).await;
        assert_eq!(answer.status, StatusCode::OK);
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(answer.body)).expect("a workbook");
        assert_eq!(
            book.sheet_names(),
            [
                "ШНОР 2024",
                "Зона риска 2024",
                "ШНСУ 2024",
                "Школы-наставники 2024"
            ]
        );
        let sheet = book.worksheet_range("ШНОР 2024").expect("sheet");
        let names: Vec<String> = sheet.rows().skip(1).map(|row| row[0].to_string()).collect();
        assert_eq!(names, ["МБОУ СОШ № 10", "МБОУ СОШ № 2"]);
    }

    #[tokio::test]
    async fn saving_records_the_rule_run_in_the_status_history() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        load_results(&db.store).await;
        let app = app(db.store.clone()).await;
        let answer = send(
            &app,
            request::post(
                "/identification/save",
                FORM,
                "year=2024&share=0.35&min_participants=5",
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        let location = answer
            .header_value(header::LOCATION)
            .expect("redirect")
            .to_owned();
        let after = ok_page(&app, &location).await;
        assert!(texts(&after, "#saved")[0].contains("Статусы за 2024/2025 учебный год записаны"));
        let card = ok_page(&app, "/schools/1001").await;
        let sources = texts(&card, "#history tbody td:nth-child(4)").join(" ");
        assert!(
            sources.contains("доля 0.35"),
            "the what-if rule is named as the source: {sources}"
        );
    }
}

/// Сопровождение on the school card (curators, agreements with joint plans, visits, «История»)
/// and the users' page, as each role meets them.
mod curation {
    use super::*;
    use axum::Router;
    use axum::http::header;
    use orientir_domain::registry::{Role, SchoolId, Scope};
    use orientir_domain::roadmap::Level;
    use orientir_store::Store;
    use orientir_web::testing::{TestUser, as_user, user};

    /// The application as `who` sees it.
    fn seen_by(store: &Store, who: &TestUser) -> Router {
        as_user(orientir_web::app(store.clone()), who)
    }

    async fn curator(store: &Store, login: &str, municipality: i64) -> TestUser {
        user(
            store,
            login,
            Role::Curator,
            &Scope::Municipality(municipality),
        )
        .await
        .expect("a curator")
    }

    async fn school_lead(store: &Store, school: &str) -> TestUser {
        user(
            store,
            &format!("lead-{school}"),
            Role::SchoolLead,
            &Scope::School(SchoolId::parse(school).expect("id")),
        )
        .await
        .expect("a school lead")
    }

    /// A draft road map of school 1002, answering its id.
    async fn school_road_map(store: &Store) -> i64 {
        let mut map = crate::common::road_map("Дорожная карта МБОУ СОШ № 2", Level::School, vec![]);
        map.sections[0].title = "I. Мероприятия".to_owned();
        store
            .save_road_map(
                &Scope::School(SchoolId::parse("1002").expect("id")),
                &map,
                None,
            )
            .await
            .expect("a road map")
            .id
    }

    async fn status_of(app: &Router, uri: &str) -> StatusCode {
        fetch(app, uri).await.status
    }

    #[tokio::test]
    async fn an_assigned_curator_shows_on_the_card_and_reads_the_schools_road_map() {
        for db in TestDb::all().await {
            let store = &db.store;
            let sample = load_sample(store).await;
            let coordinator = app(store.clone()).await;
            let map = school_road_map(store).await;
            let road_map = format!("/road-maps/{map}");
            let a = curator(store, "curator-a", sample.town).await;
            let b = curator(store, "curator-b", sample.town).await;
            let as_a = seen_by(store, &a);
            let as_b = seen_by(store, &b);
            assert_eq!(status_of(&as_a, &road_map).await, StatusCode::FORBIDDEN);

            let form = ok_page(&coordinator, "/schools/1002/curators").await;
            assert_eq!(
                attrs(&form, "#user option", "value")[1..],
                [a.id.to_string(), b.id.to_string()],
                "the curators of the municipality are the choices"
            );
            let (status, location, _) = post_form(
                &coordinator,
                "/schools/1002/curators",
                &[("user", &a.id.to_string())],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{}", store.backend());
            assert_eq!(location.as_deref(), Some("/schools/1002#curation"));
            post_form(
                &coordinator,
                "/schools/1003/curators",
                &[("user", &b.id.to_string())],
            )
            .await;

            let card = ok_page(&coordinator, "/schools/1002").await;
            assert_eq!(texts(&card, "#curators li"), ["curator-a (curator-a)"]);
            assert_eq!(count(&card, "#manage-curators"), 1);
            assert!(
                texts(&card, "#audit td")
                    .join(" ")
                    .contains("Назначен куратор: curator-a (curator-a)."),
                "«История» names the curator"
            );
            assert_eq!(status_of(&as_a, &road_map).await, StatusCode::OK);
            assert_eq!(
                status_of(&as_b, &road_map).await,
                StatusCode::FORBIDDEN,
                "a curator of another school"
            );
            assert_eq!(
                status_of(&as_a, "/schools/1002/curators").await,
                StatusCode::FORBIDDEN,
                "a curator does not assign curators"
            );
            let as_a_card = ok_page(&as_a, "/schools/1002").await;
            assert_eq!(count(&as_a_card, "#manage-curators"), 0);

            let (status, _, body) =
                post_form(&coordinator, "/schools/1002/curators", &[("user", "")]).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("Выберите куратора из списка."), "{body}");
            let lead = school_lead(store, "1001").await;
            let (status, _, body) = post_form(
                &coordinator,
                "/schools/1002/curators",
                &[("user", &lead.id.to_string())],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("нельзя назначить куратором"), "{body}");

            let (status, _, _) = post_form(
                &coordinator,
                &format!("/schools/1002/curators/{}/remove", a.id),
                &[],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let card = ok_page(&coordinator, "/schools/1002").await;
            assert_eq!(count(&card, "#curators li"), 0);
            assert_eq!(count(&card, "#no-curators"), 1);
            let history = texts(&card, "#audit tbody tr");
            assert!(
                history[0].contains("Снят куратор: curator-a (curator-a)."),
                "newest first: {history:?}"
            );
            assert_eq!(status_of(&as_a, &road_map).await, StatusCode::FORBIDDEN);
        }
    }

    #[tokio::test]
    async fn an_agreement_creates_its_joint_plan_shown_on_both_cards() {
        for db in TestDb::all().await {
            let store = &db.store;
            load_sample(store).await;
            let coordinator = app(store.clone()).await;
            let form = ok_page(&coordinator, "/schools/1002/agreements/new").await;
            assert_eq!(
                attrs(&form, "#mentor optgroup:first-of-type option", "value"),
                ["1004"],
                "the school with the mentor status comes first"
            );
            assert!(
                !attrs(&form, "#mentor option", "value").contains(&"1002".to_owned()),
                "not the school itself"
            );
            let fields = |valid_from: &'static str, mentor: &'static str| {
                [
                    ("number", "№ 7-С"),
                    ("signed_on", "2024-09-02"),
                    ("valid_from", valid_from),
                    ("valid_to", "2025-05-31"),
                    ("mentor", mentor),
                ]
            };
            let (status, _, body) = post_form(
                &coordinator,
                "/schools/1002/agreements",
                &fields("2025-06-01", "1004"),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                store.backend()
            );
            let html = scraper::Html::parse_document(&body);
            assert!(
                text_of(&html, "#form-error").contains(
                    "Срок действия соглашения начинается позже, чем заканчивается: с 01.06.2025 по 31.05.2025."
                )
            );
            assert_eq!(attrs(&html, "#number", "value"), ["№ 7-С"], "input is kept");
            assert_eq!(attrs(&html, "#valid_to[aria-invalid]", "id"), ["valid_to"]);
            let (status, _, body) = post_form(
                &coordinator,
                "/schools/1002/agreements",
                &fields("2024-09-02", "1002"),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("наставником самой себе"), "{body}");
            assert!(
                store
                    .road_maps_of(&Scope::School(SchoolId::parse("1002").expect("id")))
                    .await
                    .expect("road maps")
                    .is_empty(),
                "refused forms create no plan"
            );

            let (status, location, _) = post_form(
                &coordinator,
                "/schools/1002/agreements",
                &fields("2024-09-02", "1004"),
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            assert_eq!(location.as_deref(), Some("/schools/1002#agreements"));
            let card = ok_page(&coordinator, "/schools/1002").await;
            assert_eq!(
                rows(&card, "#agreements tbody tr"),
                [[
                    "7-С",
                    "02.09.2024",
                    "с 02.09.2024 по 31.05.2025",
                    "Школа-наставник: Гимназия № 1",
                    "Совместный план"
                ]]
            );
            let plan = attrs(&card, "#agreements a.joint-plan", "href");
            assert_eq!(plan.len(), 1);
            let plan_page = ok_page(&coordinator, &plan[0]).await;
            assert_eq!(
                text_of(&plan_page, "h1"),
                "Совместный план МБОУ СОШ № 2 и Гимназия № 1 (соглашение № 7-С)"
            );
            assert_eq!(
                attrs(&card, "#road-maps a", "href"),
                plan,
                "the joint plan is the school's road map"
            );
            let mentor_card = ok_page(&coordinator, "/schools/1004").await;
            assert_eq!(
                texts(&mentor_card, "#agreements tbody td:nth-child(4)"),
                ["Поддерживаемая школа: МБОУ СОШ № 2"]
            );
            assert!(
                texts(&mentor_card, "#audit td")
                    .join(" ")
                    .contains("Заключено соглашение № 7-С")
            );

            let lead = school_lead(store, "1002").await;
            let as_lead = seen_by(store, &lead);
            let lead_card = ok_page(&as_lead, "/schools/1002").await;
            assert_eq!(count(&lead_card, "#agreements tbody tr"), 1);
            assert_eq!(count(&lead_card, "#new-agreement"), 0);
            assert_eq!(
                status_of(&as_lead, "/schools/1002/agreements/new").await,
                StatusCode::FORBIDDEN
            );
            let (status, _, _) = post_form(
                &as_lead,
                "/schools/1002/agreements",
                &fields("2024-09-02", "1004"),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
    }

    #[tokio::test]
    async fn a_curator_plans_a_visit_and_records_it() {
        for db in TestDb::all().await {
            let store = &db.store;
            let sample = load_sample(store).await;
            let coordinator = app(store.clone()).await;
            let a = curator(store, "curator-a", sample.town).await;
            let b = curator(store, "curator-b", sample.town).await;
            let school = SchoolId::parse("1002").expect("id");
            store.assign_curator(a.id, &school).await.expect("assign");
            store
                .assign_curator(b.id, &SchoolId::parse("1003").expect("id"))
                .await
                .expect("assign");
            let as_a = seen_by(store, &a);
            let as_b = seen_by(store, &b);

            let card = ok_page(&as_a, "/schools/1002").await;
            assert_eq!(count(&card, "#no-visits"), 1);
            assert_eq!(
                attrs(&card, "#new-visit", "href"),
                ["/schools/1002/visits/new"]
            );
            let form = ok_page(&as_a, "/schools/1002/visits/new").await;
            assert_eq!(text_of(&form, "#visit-curator"), "Куратор: curator-a");
            let (status, _, body) = post_form(
                &as_a,
                "/schools/1002/visits",
                &[("planned_on", ""), ("purpose", "Методический аудит")],
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                store.backend()
            );
            assert!(body.contains("Укажите поле «Дата посещения»."), "{body}");
            let (status, location, _) = post_form(
                &as_a,
                "/schools/1002/visits",
                &[
                    ("planned_on", "15.10.2024"),
                    ("purpose", "Методический аудит"),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            assert_eq!(location.as_deref(), Some("/schools/1002#visits"));
            let card = ok_page(&as_a, "/schools/1002").await;
            assert_eq!(
                rows(&card, "#visits tbody tr"),
                [[
                    "15.10.2024",
                    "curator-a",
                    "Методический аудит",
                    "нет",
                    "",
                    "Отметить проведённым"
                ]]
            );
            let record = attrs(&card, "#visits a.record-visit", "href");
            assert_eq!(record.len(), 1);
            let record = record[0].clone();

            assert_eq!(status_of(&as_b, &record).await, StatusCode::FORBIDDEN);
            let (status, _, _) = post_form(
                &as_b,
                "/schools/1002/visits",
                &[("planned_on", "2024-10-20"), ("purpose", "Чужое посещение")],
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "a curator of another school");

            let (status, _, body) = post_form(
                &as_a,
                &record,
                &[("visited_on", "2999-01-01"), ("notes", "")],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("01.01.2999 ещё не наступила"), "{body}");
            let (status, _, _) = post_form(
                &as_a,
                &record,
                &[
                    ("visited_on", "2024-10-17"),
                    ("notes", "Проведён аудит уроков"),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);

            let lead = school_lead(store, "1002").await;
            let as_lead = seen_by(store, &lead);
            let card = ok_page(&as_lead, "/schools/1002").await;
            assert_eq!(
                rows(&card, "#visits tbody tr"),
                [[
                    "15.10.2024",
                    "curator-a",
                    "Методический аудит",
                    "17.10.2024",
                    "Проведён аудит уроков",
                    ""
                ]],
                "the school reads the visits but records nothing"
            );
            assert_eq!(count(&card, "#new-visit"), 0);
            assert_eq!(status_of(&as_lead, &record).await, StatusCode::FORBIDDEN);

            let history = texts(
                &ok_page(&coordinator, "/schools/1002").await,
                "#audit tbody tr",
            );
            assert!(
                history[0]
                    .contains("отмечено проведённым 17.10.2024. Итоги: Проведён аудит уроков"),
                "{history:?}"
            );
            assert!(
                history[1].contains("Запланировано посещение на 15.10.2024: Методический аудит."),
                "{history:?}"
            );
            assert!(history[0].contains("curator-a"), "the author is recorded");
        }
    }

    /// Signs in through the form as a browser does; answers the status.
    async fn sign_in(store: &Store, login: &str, password: &str) -> StatusCode {
        let plain = orientir_web::app(store.clone());
        let csrf = send(&plain, request::get("/login"))
            .await
            .set_cookie("orientir_login_csrf")
            .expect("the sign-in form's cookie");
        let form = request::post_form(
            "/login",
            &[
                ("login", login),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/"),
            ],
        );
        let cookie = format!("orientir_login_csrf={csrf}");
        send(&plain, request::with_header(form, "cookie", &cookie))
            .await
            .status
    }

    #[tokio::test]
    async fn the_users_page_creates_an_account_whose_password_works() {
        for db in TestDb::all().await {
            let store = &db.store;
            let sample = load_sample(store).await;
            let coordinator = app(store.clone()).await;
            let list = ok_page(&coordinator, "/users").await;
            assert!(
                texts(&list, "#accounts td")
                    .iter()
                    .any(|t| t.starts_with("test-region-"))
            );
            assert!(
                attrs(&list, "#scope option", "value")
                    .contains(&format!("municipality:{}", sample.town))
            );
            let town = format!("municipality:{}", sample.town);
            let fields = |login: &'static str, role: &'static str, scope: &str| {
                vec![
                    ("login", login.to_owned()),
                    ("full_name", "Иванова  Ирина Ивановна".to_owned()),
                    ("role", role.to_owned()),
                    ("scope", scope.to_owned()),
                    ("password", String::new()),
                ]
            };
            let send = |pairs: Vec<(&'static str, String)>| {
                let coordinator = coordinator.clone();
                async move {
                    let pairs: Vec<(&str, &str)> =
                        pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    post_form(&coordinator, "/users", &pairs).await
                }
            };
            let (status, _, body) = send(fields(
                "lead",
                "school_lead",
                &format!("region:{}", sample.region),
            ))
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                store.backend()
            );
            assert!(
                body.contains("Роль «Руководитель ОО» назначается на школу"),
                "{body}"
            );
            let (status, _, body) = send(fields("два слова", "curator", &town)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("содержит пробел"), "{body}");

            let created = crate::common::send(
                &coordinator,
                request::post(
                    "/users",
                    FORM,
                    serde_urlencoded::to_string(fields("ivanova", "curator", &town)).expect("form"),
                ),
            )
            .await;
            assert_eq!(created.status, StatusCode::OK);
            assert_eq!(
                created.header_value(header::CACHE_CONTROL),
                Some("no-store"),
                "the password is not cached"
            );
            let created = created.html();
            let password = text_of(&created, "#password");
            assert_eq!(password.chars().count(), 16, "a generated password");
            assert_eq!(
                sign_in(store, "ivanova", &password).await,
                StatusCode::SEE_OTHER,
                "the shown password signs in"
            );
            assert_eq!(
                sign_in(store, "ivanova", "не тот пароль").await,
                StatusCode::UNAUTHORIZED
            );

            let list = ok_page(&coordinator, "/users").await;
            let row = rows(&list, "#accounts tbody tr")
                .into_iter()
                .find(|r| r[0] == "ivanova")
                .expect("the new account is listed");
            assert_eq!(row[1], "Иванова Ирина Ивановна");
            assert_eq!(row[2], "Куратор: муниципалитет «Город А»");
            let candidates = ok_page(&coordinator, "/schools/1002/curators").await;
            assert!(
                texts(&candidates, "#user option")
                    .contains(&"Иванова Ирина Ивановна (ivanova)".to_owned()),
                "the new curator can be assigned"
            );

            let (status, _, body) = send(fields("ivanova", "observer", &town)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                body.contains("Пользователь с логином «ivanova» уже есть."),
                "{body}"
            );
        }
    }

    #[tokio::test]
    async fn only_regional_coordinators_manage_accounts() {
        let db = TestDb::sqlite().await;
        let store = &db.store;
        let sample = load_sample(store).await;
        let lead = school_lead(store, "1002").await;
        let moyo = user(
            store,
            "moyo",
            Role::MunicipalCoordinator,
            &Scope::Municipality(sample.town),
        )
        .await
        .expect("a municipal coordinator");
        for who in [&lead, &moyo] {
            let app = seen_by(store, who);
            assert_eq!(
                status_of(&app, "/users").await,
                StatusCode::FORBIDDEN,
                "{}",
                who.login
            );
            let (status, _, _) = post_form(
                &app,
                "/users",
                &[
                    ("login", "intruder"),
                    ("full_name", "Взломщик"),
                    ("role", "regional_coordinator"),
                    ("scope", &format!("region:{}", sample.region)),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{}", who.login);
        }
        assert!(
            store
                .credentials("intruder")
                .await
                .expect("credentials")
                .is_none()
        );
    }
}

/// The execution API: the same operations as the pages, with a personal token or a session.
mod api_execution {
    use axum::http::StatusCode;
    use chrono::NaiveDate;
    use orientir_domain::period::{PeriodContext, parse_period};
    use orientir_domain::registry::{Role, SchoolId, Scope};
    use orientir_domain::roadmap::{Activity, Level, RoadMap, Section};
    use orientir_store::testing::TestDb;
    use orientir_web::testing::{TestUser, user};

    use crate::support::*;

    /// A school road map of 2024/25 with one activity due long ago that names an output.
    pub fn school_road_map() -> RoadMap {
        let ctx = PeriodContext::school_year(2024);
        RoadMap {
            title: "Дорожная карта школы".to_owned(),
            level: Level::School,
            owner: None,
            order: None,
            period: ctx.document,
            goals: vec![],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![Section {
                title: "Раздел 1".to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: vec![Activity {
                    number: Some("1".to_owned()),
                    title: "Назначить школьного координатора".to_owned(),
                    period: Some(parse_period("до 30.09.2024", &ctx)),
                    responsible: vec!["Директор".to_owned()],
                    output: Some("Приказ".to_owned()),
                    indicator: None,
                    publicity: None,
                    external_help: None,
                }],
            }],
        }
    }

    /// JSON request as an API client sends it: the token, or the session cookie (+ CSRF header
    /// when `csrf`).
    async fn call(
        store: &orientir_store::Store,
        method: &str,
        uri: &str,
        who: &TestUser,
        bearer: bool,
        csrf: bool,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = request::json(method, uri, &body);
        if bearer {
            request = request::with_bearer(request, &who.api_token);
        } else {
            request = request::with_header(request, "cookie", &who.cookie);
            if csrf {
                request = request::with_header(request, "x-csrf-token", &who.csrf);
            }
        }
        let answer = send(&orientir_web::app(store.clone()), request).await;
        let value = serde_json::from_slice(&answer.body).unwrap_or(serde_json::Value::Null);
        (answer.status, value)
    }

    #[tokio::test]
    async fn a_school_lead_and_a_curator_work_through_the_api_only_on_their_school() {
        for db in TestDb::all().await {
            let store = &db.store;
            let sample = load_sample(store).await;
            let ids: Vec<SchoolId> = ["1001", "1002"]
                .iter()
                .map(|id| SchoolId::parse(id).expect("an id"))
                .collect();
            let mine = store
                .save_road_map(&Scope::School(ids[0].clone()), &school_road_map(), None)
                .await
                .expect("saved");
            let key = store
                .road_map(mine.id, None)
                .await
                .expect("read")
                .and_then(|m| m.activity_key(0, 0))
                .expect("an activity");
            let lead = user(
                store,
                "lead",
                Role::SchoolLead,
                &Scope::School(ids[0].clone()),
            )
            .await
            .expect("lead");
            let other = user(
                store,
                "other",
                Role::SchoolLead,
                &Scope::School(ids[1].clone()),
            )
            .await
            .expect("other lead");
            let curator = user(
                store,
                "cur",
                Role::Curator,
                &Scope::Municipality(sample.town),
            )
            .await
            .expect("curator");
            store
                .assign_curator(curator.id, &ids[0])
                .await
                .expect("assigned");
            let base = format!("/api/v1/road-maps/{}", mine.id);
            let status_uri = format!("{base}/activities/{key}/status");

            let (status, body) = call(
                store,
                "GET",
                &format!("{base}/execution"),
                &lead,
                true,
                false,
                serde_json::json!({}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["occurrences"][0]["status"], "planned");
            assert_eq!(
                body["occurrences"][0]["overdue"], true,
                "due 30.09.2024: overdue now"
            );

            let (status, body) = call(
                store,
                "GET",
                &format!("{base}/execution"),
                &other,
                true,
                false,
                serde_json::json!({}),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "another school's lead: {body}"
            );
            assert!(
                body["error"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Недостаточно прав")
            );

            // Done needs evidence: the output «Приказ» is named.
            let (status, body) = call(
                store,
                "POST",
                &status_uri,
                &lead,
                true,
                false,
                serde_json::json!({"status": "done"}),
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(
                body["error"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Приложите"),
                "{body}"
            );

            let evidence_uri = format!("{base}/activities/{key}/evidence");
            let (status, body) = call(
                store,
                "POST",
                &evidence_uri,
                &other,
                true,
                false,
                serde_json::json!({"url": "https://x.example/a"}),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
            let (status, body) = call(
                store,
                "POST",
                &evidence_uri,
                &lead,
                true,
                false,
                serde_json::json!({"url": "javascript:alert(1)"}),
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            let (status, body) = call(
                store,
                "POST",
                &evidence_uri,
                &lead,
                true,
                false,
                serde_json::json!({"url": "https://school.example/prikaz.pdf"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");

            // A session without the CSRF header cannot write; with it, it can.
            let (status, _) = call(
                store,
                "POST",
                &status_uri,
                &lead,
                false,
                false,
                serde_json::json!({"status": "done"}),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF header");
            let (status, body) = call(
                store,
                "POST",
                &status_uri,
                &lead,
                false,
                true,
                serde_json::json!({"status": "done"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["status_label"], "Выполнено");

            // The lead cannot accept their own work; the curator returns it only with a comment.
            let (status, _) = call(
                store,
                "POST",
                &status_uri,
                &lead,
                true,
                false,
                serde_json::json!({"status": "accepted"}),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let (status, body) = call(
                store,
                "POST",
                &status_uri,
                &curator,
                true,
                false,
                serde_json::json!({"status": "returned"}),
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            let (status, _) = call(
                store,
                "POST",
                &status_uri,
                &curator,
                true,
                false,
                serde_json::json!({"status": "returned", "comment": "Нет подписи"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            let comments_uri = format!("{base}/activities/{key}/comments");
            let (status, _) = call(
                store,
                "POST",
                &comments_uri,
                &other,
                true,
                false,
                serde_json::json!({"body": "чужой"}),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let (status, _) = call(
                store,
                "POST",
                &comments_uri,
                &lead,
                true,
                false,
                serde_json::json!({"body": "Исправлено"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            let thread: Vec<String> = store
                .comments_of(mine.id)
                .await
                .expect("comments")
                .into_iter()
                .map(|c| c.body)
                .collect();
            assert_eq!(thread, ["Нет подписи", "Исправлено"]);

            let (status, _) = call(
                store,
                "POST",
                &status_uri,
                &lead,
                true,
                false,
                serde_json::json!({"status": "done"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            let (status, body) = call(
                store,
                "POST",
                &status_uri,
                &curator,
                true,
                false,
                serde_json::json!({"status": "accepted"}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let (_, body) = call(
                store,
                "GET",
                &format!("{base}/execution"),
                &curator,
                true,
                false,
                serde_json::json!({}),
            )
            .await;
            assert_eq!(body["occurrences"][0]["status"], "accepted");
            assert_eq!(
                body["occurrences"][0]["overdue"], false,
                "accepted is never overdue"
            );
            assert_eq!(body["occurrences"][0]["evidence"], 1);
            let _ = NaiveDate::from_ymd_opt(2024, 9, 30);
        }
    }
}

/// «История» of a road map: who created, changed and approved it.
mod road_map_history {
    use axum::http::StatusCode;
    use orientir_domain::registry::Scope;
    use orientir_store::testing::TestDb;

    use crate::support::*;

    #[tokio::test]
    async fn the_road_map_page_lists_its_changes_with_their_authors() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let saved = db
                .store
                .save_road_map(
                    &Scope::Municipality(sample.town),
                    &crate::api_execution::school_road_map(),
                    Some("карта.docx"),
                )
                .await
                .expect("saved");
            let app = app(db.store.clone()).await;
            let uri = format!("/road-maps/{}/sections/0/activities/0", saved.id);
            let (status, _, body) = post_form(
                &app,
                &uri,
                &[
                    ("number", "1"),
                    ("title", "Назначить координатора <и рабочую группу>"),
                    ("period", "до 30.09.2024"),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
            let approve = format!("/road-maps/{}/approve", saved.id);
            let (status, _, _) = post_form(&app, &approve, &[]).await;
            assert_eq!(status, StatusCode::SEE_OTHER);

            let html = ok_page(&app, &format!("/road-maps/{}", saved.id)).await;
            let lines = texts(&html, "#history tbody tr");
            assert_eq!(lines.len(), 3, "{lines:?}");
            assert!(
                lines[0].contains("утверждена версия 1"),
                "newest first: {lines:?}"
            );
            assert!(
                lines[1].contains(
                    "изменено мероприятие: «Назначить школьного координатора» → «Назначить координатора <и рабочую группу>»"
                ),
                "before → after, markup kept as text: {lines:?}"
            );
            assert!(
                lines[2].contains("создана: «Дорожная карта школы», мероприятий 1"),
                "{lines:?}"
            );
            assert!(
                lines.iter().take(2).all(|l| l.contains("test-region-")),
                "the author is the signed-in user: {lines:?}"
            );
            assert!(
                lines[2].contains("система"),
                "stored by the system: {lines:?}"
            );
        }
    }
}

/// The page frame: who is signed in, and links only to what the user may open.
mod frame {
    use orientir_domain::registry::{Role, SchoolId, Scope};
    use orientir_store::testing::TestDb;

    use crate::support::*;

    #[tokio::test]
    async fn only_a_regional_coordinator_sees_the_users_link() {
        let db = TestDb::sqlite().await;
        load_sample(&db.store).await;
        let coordinator = app(db.store.clone()).await;
        let html = ok_page(&coordinator, "/dashboard/schools/1001").await;
        assert!(texts(&html, ".site-nav a").contains(&"Пользователи".to_owned()));
        assert!(text_of(&html, "#account").contains("test-region-"));

        let school = SchoolId::parse("1001").expect("id");
        let lead = orientir_web::testing::user(
            &db.store,
            "lead",
            Role::SchoolLead,
            &Scope::School(school),
        )
        .await
        .expect("lead");
        let as_lead = orientir_web::testing::as_user(orientir_web::app(db.store.clone()), &lead);
        let html = ok_page(&as_lead, "/dashboard/schools/1001").await;
        assert!(!texts(&html, ".site-nav a").contains(&"Пользователи".to_owned()));
        assert!(text_of(&html, "#account").contains("lead"));
    }
}

/// A regional coordinator gives an existing account another role.
mod another_role {
    use axum::http::StatusCode;
    use orientir_domain::registry::{Role, SchoolId, Scope};
    use orientir_store::testing::TestDb;

    use crate::support::*;

    #[tokio::test]
    async fn a_second_role_opens_its_pages_and_is_not_given_twice() {
        for db in TestDb::all().await {
            let sample = load_sample(&db.store).await;
            let coordinator = app(db.store.clone()).await;
            let school = SchoolId::parse("1001").expect("id");
            let lead = orientir_web::testing::user(
                &db.store,
                "lead",
                Role::SchoolLead,
                &Scope::School(school),
            )
            .await
            .expect("lead");
            let as_lead =
                orientir_web::testing::as_user(orientir_web::app(db.store.clone()), &lead);
            let town = format!("/municipalities/{}", sample.town);
            let (status, _) = page(&as_lead, &town).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "a school lead does not see the municipality"
            );

            let scope = format!("municipality:{}", sample.town);
            let account = lead.id.to_string();
            let form = [
                ("account", account.as_str()),
                ("role", "observer"),
                ("scope", scope.as_str()),
            ];
            let (status, location, body) = post_form(&coordinator, "/users/roles", &form).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
            assert_eq!(location.as_deref(), Some("/users#accounts"));
            let (status, _) = page(&as_lead, &town).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "the observer role opens the municipality"
            );
            let users = ok_page(&coordinator, "/users").await;
            assert!(
                text_of(&users, "#accounts").contains("Наблюдатель: муниципалитет"),
                "{}",
                text_of(&users, "#accounts")
            );

            let (status, _, body) = post_form(&coordinator, "/users/roles", &form).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                body.contains("уже есть"),
                "the same role twice is refused: {body}"
            );
            let bad = [
                ("account", account.as_str()),
                ("role", "school_lead"),
                ("scope", scope.as_str()),
            ];
            let (status, _, body) = post_form(&coordinator, "/users/roles", &bad).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("назначается на школу"), "{body}");

            let (status, _, _) = post_form(&as_lead, "/users/roles", &form).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "a school lead manages no accounts"
            );
        }
    }
}

/// The what-if of «Выявление» (issue #4): every scalar parameter of the rule can be changed on the
/// page, shows who would enter or leave each list, is refused in Russian when out of range, and a
/// saved what-if run names every changed parameter in its rule version.
mod what_if {
    use crate::support::app;
    use axum::http::{StatusCode, header};
    use orientir_domain::identify::Procedure;
    use orientir_domain::registry::{Locality, SchoolId, StatusKind, StatusSource};
    use orientir_store::testing::TestDb;
    use orientir_store::{ResultCell, ResultsKind, Store};

    use super::support::*;

    fn cell(
        school: &str,
        year: i32,
        procedure: Procedure,
        grade: u8,
        participants: u64,
        failed: u64,
    ) -> ResultCell {
        ResultCell {
            school_id: SchoolId::parse(school).expect("id"),
            year,
            procedure,
            subject: "ru".to_owned(),
            grade,
            participants,
            failed,
            mark2: failed,
            mark3: participants - failed,
            mark4: 0,
            mark5: 0,
            score_sum: None,
            score_min: None,
            score_max: None,
            ege_scores: None,
        }
    }

    /// Six schools of «Город А», each with full social data (the low-income share falls from
    /// 0.6 at Школа А to 0.1 at Школа Е, every other share is 0), and results in Russian:
    ///
    /// | school  | 2023                      | 2024                                | by default             |
    /// |---------|---------------------------|-------------------------------------|------------------------|
    /// | Школа А |                           | ВПР 5: 4/10, ВПР 6: 1/10, ОГЭ: 4/10 | зона риска (одна ОГЭ)  |
    /// | Школа Б | ВПР 5: 1/10               | ВПР 5: 2/10                         | зона риска (+10 п.п.)  |
    /// | Школа В | ВПР 5: 5/10               | ОГЭ: 5/10                           | зона риска (одна ОГЭ)  |
    /// | Школа Г | ВПР 5: 1/20, ОГЭ: 0/20    | ВПР 5: 1/20, ОГЭ: 0/20              | наставник (5 %)        |
    /// | Школа Д | ВПР 5: 2/20, ОГЭ: 0/20    | ВПР 5: 2/20, ОГЭ: 0/20              | — (10 % > 5 %)         |
    /// | Школа Е |                           |                                     | —                      |
    ///
    /// Pooled, Школа А's ВПР is 5 of 20 (25 %), below the threshold; by grade, ВПР 5 fails.
    /// ШНСУ by default is the top 10 % of six schools: one, Школа А.
    async fn load(store: &Store) {
        let names = ["А", "Б", "В", "Г", "Д", "Е"];
        let schools: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, letter)| {
                let mut s = school(
                    &format!("{}", 1001 + i),
                    &format!("Школа {letter}"),
                    TOWN,
                    Locality::City,
                    "СОШ",
                    300,
                );
                s.social.low_income = Some(0.6 - 0.1 * i as f64);
                s.social.single_parent = Some(0.0);
                s.social.non_native = Some(0.0);
                s.social.disability = Some(0.0);
                s.social.parents_higher_ed = Some(0.0);
                s.social.on_register = Some(0.0);
                s
            })
            .collect();
        store.import_schools(&schools).await.expect("schools");
        store
            .import_results(
                "results.csv",
                ResultsKind::Aggregated,
                &[
                    cell("1001", 2024, Procedure::Vpr, 5, 10, 4),
                    cell("1001", 2024, Procedure::Vpr, 6, 10, 1),
                    cell("1001", 2024, Procedure::Oge, 9, 10, 4),
                    cell("1002", 2023, Procedure::Vpr, 5, 10, 1),
                    cell("1002", 2024, Procedure::Vpr, 5, 10, 2),
                    cell("1003", 2023, Procedure::Vpr, 5, 10, 5),
                    cell("1003", 2024, Procedure::Oge, 9, 10, 5),
                    cell("1004", 2023, Procedure::Vpr, 5, 20, 1),
                    cell("1004", 2023, Procedure::Oge, 9, 20, 0),
                    cell("1004", 2024, Procedure::Vpr, 5, 20, 1),
                    cell("1004", 2024, Procedure::Oge, 9, 20, 0),
                    cell("1005", 2023, Procedure::Vpr, 5, 20, 2),
                    cell("1005", 2023, Procedure::Oge, 9, 20, 0),
                    cell("1005", 2024, Procedure::Vpr, 5, 20, 2),
                    cell("1005", 2024, Procedure::Oge, 9, 20, 0),
                ],
                230,
                0,
            )
            .await
            .expect("import results");
    }

    /// The schools of one list on the page.
    fn listed(html: &scraper::Html, list: &str) -> Vec<String> {
        texts(html, &format!("#{list} tbody th"))
    }

    const LISTS: [&str; 4] = ["low-results", "declining", "social-risk", "mentors"];

    /// The four lists of a page, in order.
    async fn lists(app: &axum::Router, uri: &str) -> [Vec<String>; 4] {
        let html = ok_page(app, uri).await;
        LISTS.map(|list| listed(&html, list))
    }

    #[tokio::test]
    async fn every_scalar_parameter_has_a_labelled_control_with_its_range() {
        let db = TestDb::sqlite().await;
        load(&db.store).await;
        let app = app(db.store.clone()).await;
        let html = ok_page(&app, "/identification?year=2024").await;
        assert_eq!(count(&html, "#what-if"), 0, "no what-if by default");
        let controls = [
            ("share", "input", "число от 0 до 1", "0.3"),
            ("min_participants", "input", "целое число не меньше 1", "5"),
            (
                "unit",
                "select",
                "procedure или procedure+grade",
                "procedure",
            ),
            ("two_years", "select", "same или any", "same"),
            ("rise_points", "input", "число от 0 до 100", "10"),
            (
                "also_single_unit",
                "select",
                "true (да) или false (нет)",
                "true",
            ),
            ("top_share", "input", "число от 0 до 1", "0.1"),
            ("max_failed_share", "input", "число от 0 до 1", "0.05"),
            ("mentor_years", "input", "целое число от 1 до 100", "2"),
            ("min_units", "input", "целое число не меньше 1", "2"),
        ];
        for (name, tag, range, default) in controls {
            assert_eq!(
                count(&html, &format!("#what-if-form label[for={name}]")),
                1,
                "{name} has a label"
            );
            assert_eq!(
                count(&html, &format!("#what-if-form {tag}#{name}[name={name}]")),
                1,
                "{name} is a {tag}"
            );
            let hint = text_of(&html, &format!("#{name}-hint"));
            assert!(hint.contains(range), "{name}: {hint}");
            assert_eq!(
                attrs(&html, &format!("#{name}"), "aria-describedby"),
                [format!("{name}-hint")]
            );
            let value = if tag == "select" {
                attrs(&html, &format!("#{name} option[selected]"), "value")
            } else {
                attrs(&html, &format!("#{name}"), "value")
            };
            assert_eq!(value, [default], "{name} shows the default");
        }
        assert_eq!(
            texts(&html, "#what-if-form legend"),
            ["ШНОР", "Зона риска", "ШНСУ", "Школы-наставники"]
        );
        assert_eq!(
            attrs(&html, "#also_single_unit option", "value"),
            ["true", "false"]
        );
        assert_eq!(
            count(&html, ".approve-form input[type=hidden]"),
            2,
            "by default the save form carries only the token and the year"
        );
    }

    #[tokio::test]
    async fn each_parameter_changes_the_lists_it_governs() {
        for db in TestDb::all().await {
            load(&db.store).await;
            let app = app(db.store.clone()).await;
            let v = |names: &[&str]| -> Vec<String> {
                names.iter().map(|n| format!("Школа {n}")).collect()
            };
            let base = "/identification?year=2024";
            let default = lists(&app, base).await;
            assert_eq!(
                default,
                [v(&[]), v(&["А", "Б", "В"]), v(&["А"]), v(&["Г"])],
                "the fixture's lists by the default rule"
            );
            // (query, the list it changes, that list afterwards)
            let cases: [(&str, usize, Vec<String>); 12] = [
                ("unit=procedure%2Bgrade", 0, v(&["А"])),
                ("two_years=any", 0, v(&["В"])),
                ("share=0.45", 1, v(&["Б", "В"])),
                ("min_participants=15", 1, v(&[])),
                ("rise_points=50", 1, v(&["А", "В"])),
                ("also_single_unit=false", 1, v(&["Б"])),
                ("top_share=0.5", 2, v(&["А", "Б", "В"])),
                ("top_share=0", 2, v(&[])),
                ("max_failed_share=0.1", 3, v(&["Г", "Д"])),
                ("max_failed_share=0.01", 3, v(&[])),
                ("mentor_years=3", 3, v(&[])),
                ("min_units=3", 3, v(&[])),
            ];
            for (query, list, expected) in cases {
                let uri = format!("{base}&{query}");
                let html = ok_page(&app, &uri).await;
                assert_eq!(listed(&html, LISTS[list]), expected, "{uri}");
                assert_eq!(count(&html, "#what-if"), 1, "{uri}");
                let name = query.split('=').next().expect("a name");
                assert_eq!(
                    count(
                        &html,
                        &format!(".approve-form input[type=hidden][name={name}]")
                    ),
                    1,
                    "{uri}: the save form carries the changed parameter"
                );
                assert!(
                    attrs(&html, "#export-xlsx", "href")[0].contains(query),
                    "{uri}: the export takes the same parameters"
                );
                assert!(
                    !texts(&html, "#what-if p").is_empty(),
                    "{uri}: the box says what changes"
                );
            }

            // The box names the changed parameters and who enters or leaves which list.
            let html = ok_page(
                &app,
                &format!("{base}&unit=procedure%2Bgrade&rise_points=50&top_share=0.5"),
            )
            .await;
            assert_eq!(
                texts(&html, "#what-if-params li"),
                [
                    "Единица анализа (low_results.unit): procedure+grade вместо procedure",
                    "Рост доли не преодолевших порог, п.п. (declining.rise_points): 50 вместо 10",
                    "Доля школ с наибольшим индексом (social_risk.top_share): 0.5 вместо 0.1",
                ]
            );
            assert_eq!(
                texts(&html, "#what-if p"),
                [
                    "Добавятся к списку ШНОР: 1. Школа А",
                    "Выйдут из зоны риска: 2. Школа А; Школа Б",
                    "Добавятся к списку ШНСУ: 2. Школа Б; Школа В",
                ]
            );
            assert!(
                text_of(&html, ".lead").contains(
                    "2024.1 (единица анализа procedure+grade; рост доли (п.п.) 50; доля ШНСУ 0.5)"
                ),
                "{}",
                text_of(&html, ".lead")
            );
            assert_eq!(
                attrs(&html, "#unit option[selected]", "value"),
                ["procedure+grade"],
                "the form keeps the what-if values"
            );

            // A value equal to the default is no what-if.
            let same = ok_page(&app, &format!("{base}&share=0,3&also_single_unit=true")).await;
            assert_eq!(count(&same, "#what-if"), 0);
        }
    }

    #[tokio::test]
    async fn a_bad_value_of_each_parameter_is_a_400_naming_it() {
        let db = TestDb::sqlite().await;
        load(&db.store).await;
        let app = app(db.store.clone()).await;
        let bad = [
            ("share", "1.5", "low_results.share", "число от 0 до 1"),
            (
                "min_participants",
                "0",
                "low_results.min_participants",
                "целое число не меньше 1",
            ),
            (
                "unit",
                "class",
                "low_results.unit",
                "procedure или procedure+grade",
            ),
            (
                "two_years",
                "never",
                "low_results.two_years",
                "same или any",
            ),
            (
                "rise_points",
                "101",
                "declining.rise_points",
                "число от 0 до 100",
            ),
            (
                "also_single_unit",
                "maybe",
                "declining.also_single_unit",
                "true (да) или false (нет)",
            ),
            (
                "top_share",
                "-0.1",
                "social_risk.top_share",
                "число от 0 до 1",
            ),
            (
                "max_failed_share",
                "пять",
                "mentor.max_failed_share",
                "число от 0 до 1",
            ),
            (
                "mentor_years",
                "101",
                "mentor.years",
                "целое число от 1 до 100",
            ),
            (
                "min_units",
                "1.5",
                "mentor.min_units",
                "целое число не меньше 1",
            ),
        ];
        for (name, value, key, expected) in bad {
            let query =
                serde_urlencoded::to_string([("year", "2024"), (name, value)]).expect("a query");
            for uri in [
                format!("/identification?{query}"),
                format!("/identification/export.xlsx?{query}"),
            ] {
                let (status, html) = page(&app, &uri).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
                let message = texts(&html, "main p").join(" ");
                assert!(
                    message.contains(key) && message.contains(expected) && message.contains(value),
                    "{uri}: {message}"
                );
            }
            let (status, _, body) = post_form(
                &app,
                "/identification/save",
                &[("year", "2024"), (name, value)],
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "save with {name}={value}");
            assert!(body.contains(key), "save with {name}={value}: {body}");
        }
        assert!(
            db.store
                .status_history(&SchoolId::parse("1001").expect("id"))
                .await
                .expect("history")
                .is_empty(),
            "a refused save records nothing"
        );
    }

    #[tokio::test]
    async fn saving_a_what_if_run_records_a_version_listing_every_changed_parameter() {
        for db in TestDb::all().await {
            load(&db.store).await;
            let app = app(db.store.clone()).await;
            let html = ok_page(
                &app,
                "/identification?year=2024&unit=procedure%2Bgrade&also_single_unit=false&max_failed_share=0.1",
            )
            .await;
            // The save form as the browser sends it (the token travels in a header in tests).
            let fields: Vec<(String, String)> = html
                .select(&selector(".approve-form input[type=hidden]"))
                .filter_map(|input| {
                    let name = input.value().attr("name")?;
                    let value = input.value().attr("value")?;
                    (name != "csrf").then(|| (name.to_owned(), value.to_owned()))
                })
                .collect();
            assert_eq!(
                fields
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>(),
                [
                    "year=2024",
                    "unit=procedure+grade",
                    "also_single_unit=false",
                    "max_failed_share=0.1",
                ]
            );
            let answer = send(
                &app,
                request::post(
                    "/identification/save",
                    FORM,
                    serde_urlencoded::to_string(&fields).expect("form"),
                ),
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER);
            let location = answer
                .header_value(header::LOCATION)
                .expect("redirect")
                .to_owned();
            let after = ok_page(&app, &location).await;
            assert!(texts(&after, "#saved")[0].contains("записаны"));
            assert_eq!(
                count(&after, "#what-if"),
                1,
                "the page after saving keeps the what-if"
            );
            assert_eq!(listed(&after, "low-results"), ["Школа А"]);

            let expected_version = "2024.1 (единица анализа procedure+grade; \
                                    одна единица анализа нет; доля у наставников 0.1)";
            for (school, status) in [
                ("1001", StatusKind::LowResults),
                ("1002", StatusKind::Declining),
                ("1004", StatusKind::Mentor),
                ("1005", StatusKind::Mentor),
            ] {
                let history = db
                    .store
                    .status_history(&SchoolId::parse(school).expect("id"))
                    .await
                    .expect("history");
                let entry = history
                    .iter()
                    .find(|e| e.status == status && e.in_force)
                    .unwrap_or_else(|| panic!("{school} has {status:?}: {history:?}"));
                assert_eq!(
                    entry.source,
                    StatusSource::RuleRun {
                        rule_version: expected_version.to_owned()
                    },
                    "{school}"
                );
            }
            let card = ok_page(&app, "/schools/1001").await;
            let sources = texts(&card, "#history tbody td:nth-child(4)").join(" ");
            assert!(sources.contains(expected_version), "{sources}");
        }
    }
}

/// A regional coordinator disables an account: its session and token stop at once.
mod disabled_account {
    use axum::http::StatusCode;
    use orientir_domain::registry::{Role, SchoolId, Scope};
    use orientir_store::testing::TestDb;

    use crate::support::*;

    #[tokio::test]
    async fn a_disabled_account_loses_its_session_and_can_be_enabled_again() {
        for db in TestDb::all().await {
            load_sample(&db.store).await;
            let coordinator = app(db.store.clone()).await;
            let school = SchoolId::parse("1001").expect("id");
            let lead = orientir_web::testing::user(
                &db.store,
                "lead",
                Role::SchoolLead,
                &Scope::School(school),
            )
            .await
            .expect("lead");
            let as_lead =
                orientir_web::testing::as_user(orientir_web::app(db.store.clone()), &lead);
            let dashboard = "/dashboard/schools/1001";
            assert_eq!(fetch(&as_lead, dashboard).await.status, StatusCode::OK);

            let uri = format!("/users/{}/disabled", lead.id);
            let (status, location, body) =
                post_form(&coordinator, &uri, &[("disabled", "1")]).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
            assert_eq!(location.as_deref(), Some("/users#accounts"));
            let after = fetch(&as_lead, dashboard).await;
            assert_eq!(
                after.status,
                StatusCode::SEE_OTHER,
                "the session no longer works"
            );
            let users = ok_page(&coordinator, "/users").await;
            assert!(text_of(&users, "#accounts").contains("отключена"));

            let (status, _, _) = post_form(&coordinator, &uri, &[("disabled", "0")]).await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            assert_eq!(
                fetch(&as_lead, dashboard).await.status,
                StatusCode::OK,
                "enabled again"
            );

            let users = db.store.users().await.expect("users");
            let me = users
                .iter()
                .find(|u| u.login.starts_with("test-region-"))
                .expect("the coordinator");
            let (status, _, body) = post_form(
                &coordinator,
                &format!("/users/{}/disabled", me.id),
                &[("disabled", "1")],
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(
                body.contains("Свою учётную запись отключить нельзя"),
                "{body}"
            );
            let (status, _, _) = post_form(&as_lead, &uri, &[("disabled", "1")]).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "a school lead disables nobody"
            );
        }
    }
}
