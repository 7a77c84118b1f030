//! Monitoring as its users meet it: the school's, the municipality's and the region's dashboards,
//! their XLSX downloads, and checkpoints (контрольные даты) with their kept snapshots. Statuses
//! and evidence are written through the store (or the pages' forms) and the pages are read as a
//! person would read them. Every test that reads the database runs on SQLite and, when
//! `ORIENTIR_TEST_PG` is set, on PostgreSQL with the same assertions.

mod common;
#[path = "monitoring/support.rs"]
mod support;

use axum::http::{StatusCode, header};
use orientir_domain::registry::{SchoolId, Scope};
use orientir_domain::roadmap::Level;
use orientir_store::testing::TestDb;

use support::*;

// ---------------------------------------------------------------------------------------------
// The municipal dashboard

mod municipality {
    use super::*;

    const SCHOOL_HEADERS: [&str; 6] = [
        "Школа",
        "К сроку",
        "Выполнено с документами",
        "Заполнение",
        "Просрочено",
        "Ждут проверки",
    ];

    /// School A: accepted with evidence (15.05.2025), done without evidence (30 days ago), done
    /// with evidence (3 days ago), planned (10 days ago: overdue); school B: in progress (20 days
    /// ago: overdue).
    async fn first_statuses(world: &World) {
        let store = &world.store;
        let a = &world.map_a;
        attach(store, &a.key(OLD)).await;
        set(store, &a.key(OLD), "planned", "done").await;
        set(store, &a.key(OLD), "done", "accepted").await;
        set(store, &a.key(MONTH), "planned", "done").await;
        attach(store, &a.key(LATE)).await;
        set(store, &a.key(LATE), "planned", "done").await;
        set(store, &world.map_b.key(0), "planned", "in_progress").await;
    }

    #[tokio::test]
    async fn overdue_and_upcoming_activities_are_listed_by_due_date() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            first_statuses(&world).await;
            let app = world.app_as(&world.municipal);
            let html = ok_page(&app, &world.town_dashboard()).await;

            assert_eq!(
                headers(&html, "#overdue-table"),
                ["Школа", "Мероприятие", "Срок", "Статус"]
            );
            // B's is older than A's: sorted by due date across schools, not by school.
            assert_eq!(
                rows(&html, "#overdue-table"),
                [
                    strings(&[
                        SCHOOL_B,
                        B_PAST,
                        &short(day(-20)),
                        "Выполняется (просрочено)"
                    ]),
                    strings(&[
                        SCHOOL_A,
                        A_WEEK,
                        &short(day(-10)),
                        "Запланировано (просрочено)"
                    ]),
                ]
            );
            assert_eq!(
                count(&html, "#overdue-table td.overdue"),
                2,
                "the status of an overdue activity is marked"
            );
            // Within 14 days, sorted by date; 60 days ahead and «по запросу» are not listed.
            assert_eq!(
                rows(&html, "#upcoming-table"),
                [
                    strings(&[SCHOOL_A, A_SOON, &short(day(5)), "Запланировано"]),
                    strings(&[SCHOOL_B, B_SOON, &short(day(10)), "Запланировано"]),
                ]
            );
            let page = html.html();
            for absent in [A_FAR, A_ASKED, "Совещание директоров", C_PAST] {
                assert!(
                    !page.contains(absent),
                    "«{absent}» is not on the town's dashboard"
                );
            }
            // Links lead to the activity and to the school's dashboard.
            let links: Vec<String> = html
                .select(&selector("#overdue-table tbody tr a"))
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            assert_eq!(
                links,
                [
                    format!("/dashboard/schools/{}", world.b),
                    format!(
                        "/road-maps/{}/activities/{}",
                        world.map_b.id, world.map_b.keys[0]
                    ),
                    format!("/dashboard/schools/{}", world.a),
                    format!(
                        "/road-maps/{}/activities/{}",
                        world.map_a.id, world.map_a.keys[WEEK]
                    ),
                ]
            );
        }
    }

    #[tokio::test]
    async fn each_school_shows_its_filling_and_a_status_change_shows_at_once() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            first_statuses(&world).await;
            let app = world.app_as(&world.municipal);
            let html = ok_page(&app, &world.town_dashboard()).await;

            assert!(
                first_text(&html, "p.lead").contains("Школ с дорожными картами: 2."),
                "{}",
                first_text(&html, "p.lead")
            );
            assert_eq!(headers(&html, "#schools-table"), SCHOOL_HEADERS);
            // A: 4 due by today; accepted with evidence and done with evidence count, done
            // without evidence does not; 2 wait for review. The gymnasium has no road map.
            assert_eq!(
                rows(&html, "#schools-table"),
                [
                    strings(&[SCHOOL_A, "4", "2", "50 %", "1", "2"]),
                    strings(&[SCHOOL_B, "1", "0", "0 %", "1", "0"]),
                ]
            );

            // Evidence for the one done without it; the overdue one done without evidence;
            // B's accepted without evidence (completed, so not overdue, but not filled).
            let store = &world.store;
            attach(store, &world.map_a.key(MONTH)).await;
            set(store, &world.map_a.key(WEEK), "planned", "done").await;
            let b = world.map_b.key(0);
            set(store, &b, "in_progress", "done").await;
            set(store, &b, "done", "accepted").await;

            let html = ok_page(&app, &world.town_dashboard()).await;
            assert_eq!(
                rows(&html, "#schools-table"),
                [
                    strings(&[SCHOOL_A, "4", "3", "75 %", "0", "3"]),
                    strings(&[SCHOOL_B, "1", "0", "0 %", "0", "0"]),
                ]
            );
            assert_eq!(count(&html, "#overdue-table"), 0);
            assert_eq!(
                first_text(&html, "#overdue p.muted"),
                "Просроченных мероприятий нет."
            );

            // And filled completely.
            attach(store, &world.map_a.key(WEEK)).await;
            attach(store, &b).await;
            let html = ok_page(&app, &world.town_dashboard()).await;
            assert_eq!(
                rows(&html, "#schools-table"),
                [
                    strings(&[SCHOOL_A, "4", "4", "100 %", "0", "3"]),
                    strings(&[SCHOOL_B, "1", "1", "100 %", "0", "0"]),
                ]
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_municipality_is_a_404_page() {
        let db = TestDb::sqlite().await;
        let world = World::build(&db.store).await;
        let app = world.app_as(&world.regional);
        let answer = get(&app, "/dashboard/municipalities/999999").await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{}",
            answer.main_text()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The school's dashboard

mod school {
    use super::*;

    const RETURN_COMMENT: &str = "Приложите протокол с подписями участников.";

    /// A: accepted (15.05.2025), planned and overdue (30 and 10 days ago), done by the lead and
    /// returned by the curator through the pages (3 days ago).
    async fn statuses(world: &World) {
        let store = &world.store;
        let a = &world.map_a;
        attach(store, &a.key(OLD)).await;
        set(store, &a.key(OLD), "planned", "done").await;
        set(store, &a.key(OLD), "done", "accepted").await;

        let late = a.key(LATE);
        let lead_store = world.store_as(&world.lead_a);
        attach(&lead_store, &late).await;
        let status_uri = format!("/road-maps/{}/activities/{}/status", a.id, a.keys[LATE]);
        let lead = world.app_as(&world.lead_a);
        let answer = post_form(
            &lead,
            &status_uri,
            &[("occurrence", ""), ("status", "done"), ("comment", "")],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{}",
            answer.main_text()
        );
        lead_store
            .add_comment(&late, "Справка приложена, проверьте.")
            .await
            .expect("a comment of the lead");
        let curator = world.app_as(&world.curator);
        let answer = post_form(
            &curator,
            &status_uri,
            &[
                ("occurrence", ""),
                ("status", "returned"),
                ("comment", RETURN_COMMENT),
            ],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{}",
            answer.main_text()
        );
    }

    #[tokio::test]
    async fn overdue_come_first_then_by_due_date_and_accepted_ones_are_gone() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            statuses(&world).await;
            let app = world.app_as(&world.lead_a);
            let html = ok_page(&app, &world.school_a_dashboard()).await;

            assert_eq!(first_text(&html, "h1"), format!("Мои задачи: {SCHOOL_A}"));
            assert!(
                first_text(&html, "p.lead").contains("Мероприятий: 7, просрочено: 3."),
                "{}",
                first_text(&html, "p.lead")
            );
            assert_eq!(
                headers(&html, "#activities-table"),
                ["Срок", "Мероприятие", "Статус", "Документы"]
            );
            assert_eq!(
                rows(&html, "#activities-table"),
                [
                    strings(&[&short(day(-30)), A_MONTH, "Запланировано (просрочено)", "0"]),
                    strings(&[&short(day(-10)), A_WEEK, "Запланировано (просрочено)", "0"]),
                    strings(&[
                        &short(day(-3)),
                        A_LATE,
                        "Возвращено на доработку (просрочено)",
                        "1"
                    ]),
                    strings(&[&short(day(5)), A_SOON, "Запланировано", "0"]),
                    strings(&[&short(day(60)), A_FAR, "Запланировано", "0"]),
                    strings(&["—", A_ASKED, "Запланировано", "0"]),
                ]
            );
            assert!(
                !texts(&html, "#activities-table td").contains(&A_OLD.to_owned()),
                "the accepted activity is not among «Мои мероприятия»"
            );
        }
    }

    #[tokio::test]
    async fn a_returned_activity_is_listed_with_the_curators_comment() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            statuses(&world).await;
            let app = world.app_as(&world.lead_a);
            let html = ok_page(&app, &world.school_a_dashboard()).await;
            assert_eq!(
                headers(&html, "#returned-table"),
                ["Мероприятие", "Срок", "Комментарий куратора"]
            );
            assert_eq!(
                rows(&html, "#returned-table"),
                [strings(&[
                    A_LATE,
                    &short(day(-3)),
                    &format!("curator-1: {RETURN_COMMENT}"),
                ])]
            );
            // Taken up again: no longer returned.
            set(
                &world.store,
                &world.map_a.key(LATE),
                "returned",
                "in_progress",
            )
            .await;
            let html = ok_page(&app, &world.school_a_dashboard()).await;
            assert_eq!(count(&html, "#returned-table"), 0);
            assert_eq!(
                first_text(&html, "#returned p.muted"),
                "Возвращённых мероприятий нет."
            );
        }
    }

    #[tokio::test]
    async fn the_curators_comment_stays_after_the_school_answers_it() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            statuses(&world).await;
            world
                .store_as(&world.lead_a)
                .add_comment(&world.map_a.key(LATE), "Исправим до пятницы.")
                .await
                .expect("the lead's answer");
            let app = world.app_as(&world.lead_a);
            let html = ok_page(&app, &world.school_a_dashboard()).await;
            assert_eq!(
                rows(&html, "#returned-table"),
                [strings(&[
                    A_LATE,
                    &short(day(-3)),
                    &format!("curator-1: {RETURN_COMMENT}"),
                ])],
                "the column «Комментарий куратора» shows the curator's comment, not the latest one"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The region's dashboard

mod region {
    use super::*;

    /// A: 4 due, 2 filled, 1 overdue; B: 1 due, 0 filled, 1 overdue; C: 1 due, filled; D:
    /// nothing due.
    async fn statuses(world: &World) {
        let store = &world.store;
        let a = &world.map_a;
        attach(store, &a.key(OLD)).await;
        set(store, &a.key(OLD), "planned", "done").await;
        set(store, &a.key(OLD), "done", "accepted").await;
        set(store, &a.key(MONTH), "planned", "done").await;
        attach(store, &a.key(LATE)).await;
        set(store, &a.key(LATE), "planned", "done").await;
        attach(store, &world.map_c.key(0)).await;
        set(store, &world.map_c.key(0), "planned", "done").await;
        set(store, &world.map_d.key(0), "planned", "in_progress").await;
    }

    fn number(cell: &str) -> u32 {
        cell.trim_end_matches(" %")
            .parse()
            .unwrap_or_else(|_| panic!("«{cell}» is a number"))
    }

    #[tokio::test]
    async fn one_row_per_municipality_sums_its_schools() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            statuses(&world).await;
            let app = world.app_as(&world.regional);
            let html = ok_page(&app, &format!("/dashboard/regions/{}", world.region)).await;
            assert_eq!(
                headers(&html, "#municipalities-table"),
                [
                    "Муниципалитет",
                    "Школ с картами",
                    "К сроку",
                    "Выполнено с документами",
                    "Заполнение",
                    "Просрочено"
                ]
            );
            assert_eq!(
                rows(&html, "#municipalities-table"),
                [
                    strings(&[TOWN, "2", "5", "2", "40 %", "2"]),
                    strings(&[DISTRICT, "2", "1", "1", "100 %", "0"]),
                ]
            );
            let links: Vec<String> = html
                .select(&selector("#municipalities-table a"))
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            assert_eq!(
                links,
                [
                    format!("/dashboard/municipalities/{}", world.m1),
                    format!("/dashboard/municipalities/{}", world.m2),
                ]
            );

            // Each line is the sum of the municipality's own dashboard.
            for (m, line) in [world.m1, world.m2]
                .into_iter()
                .zip(rows(&html, "#municipalities-table"))
            {
                let own = ok_page(&app, &format!("/dashboard/municipalities/{m}")).await;
                let schools = rows(&own, "#schools-table");
                assert_eq!(schools.len().to_string(), line[1], "{}", line[0]);
                for (column, region_column) in [(1, 2), (2, 3), (4, 5)] {
                    let sum: u32 = schools.iter().map(|s| number(&s[column])).sum();
                    assert_eq!(sum, number(&line[region_column]), "{} {column}", line[0]);
                }
            }
        }
    }

    #[tokio::test]
    async fn namesake_schools_with_several_road_maps_are_one_row_each() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let store = &world.store;
            // Two schools of the town with the same name; the first has two road maps, saved
            // before and after the second school's.
            store
                .import_schools(&[namesake("1005", TOWN), namesake("1006", TOWN)])
                .await
                .expect("import namesakes");
            let first = Scope::School(SchoolId::parse("1005").expect("an id"));
            let second = Scope::School(SchoolId::parse("1006").expect("an id"));
            let map = |title: &str| {
                road_map(title, Level::School, &[("Анализ результатов", by(day(-2)))])
            };
            save_map(store, &first, &map("Карта 2025")).await;
            save_map(store, &second, &map("Карта")).await;
            save_map(store, &first, &map("Карта 2026")).await;

            let app = world.app_as(&world.regional);
            let html = ok_page(&app, &world.town_dashboard()).await;
            let named: Vec<Vec<String>> = rows(&html, "#schools-table")
                .into_iter()
                .filter(|r| r[0] == NAMESAKE)
                .collect();
            assert_eq!(
                named,
                [
                    strings(&[NAMESAKE, "2", "0", "0 %", "2", "0"]),
                    strings(&[NAMESAKE, "1", "0", "0 %", "1", "0"]),
                ],
                "each school is one row with all its road maps"
            );
            let html = ok_page(&app, &format!("/dashboard/regions/{}", world.region)).await;
            assert_eq!(
                row_of(&html, "#municipalities-table", TOWN)[1],
                "4",
                "A, B and the two namesakes"
            );
        }
    }

    const NAMESAKE: &str = "МБОУ СОШ № 5";

    fn namesake(id: &str, municipality: &str) -> orientir_domain::registry::SchoolRecord {
        common::school(
            id,
            NAMESAKE,
            municipality,
            orientir_domain::registry::Locality::Village,
            "СОШ",
            120,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// XLSX downloads

mod export {
    use super::*;
    use calamine::Reader;

    /// The workbook's sheets as (name, rows of cell texts).
    fn workbook(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
        let names = book.sheet_names();
        names
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).expect("a sheet");
                let rows = range
                    .rows()
                    .map(|row| row.iter().map(ToString::to_string).collect())
                    .collect();
                (name, rows)
            })
            .collect()
    }

    /// Every table of a dashboard page as (id, title, header row followed by the data rows).
    fn tables(html: &scraper::Html) -> Vec<(String, String, Vec<Vec<String>>)> {
        html.select(&selector("main section[id]"))
            .map(|section| {
                let id = section.value().attr("id").unwrap_or_default().to_owned();
                let title = section
                    .select(&selector("h2"))
                    .next()
                    .map(text)
                    .unwrap_or_default()
                    .trim_end_matches("XLSX")
                    .trim()
                    .to_owned();
                let table = format!("#{id}-table");
                let mut grid = vec![headers(html, &table)];
                grid.extend(rows(html, &table));
                (id, title, grid)
            })
            .collect()
    }

    async fn download(app: &axum::Router, uri: &str) -> Answer {
        let answer = get(app, uri).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{uri}: {}",
            answer.main_text()
        );
        assert_eq!(
            answer.header(header::CONTENT_TYPE),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "{uri}"
        );
        answer
    }

    async fn statuses(world: &World) {
        let store = &world.store;
        let a = &world.map_a;
        attach(store, &a.key(OLD)).await;
        set(store, &a.key(OLD), "planned", "done").await;
        set(store, &a.key(LATE), "planned", "done").await;
        set(store, &world.map_b.key(0), "planned", "in_progress").await;
        store
            .acting_as(orientir_store::Actor::user(
                world.municipal.id,
                &world.municipal.login,
            ))
            .add_checkpoint(world.m1, ymd(2025, 9, 1), "Мониторинг на начало года")
            .await
            .expect("a checkpoint")
            .expect("a new checkpoint");
    }

    #[tokio::test]
    async fn the_municipal_workbook_has_a_sheet_per_table_with_the_pages_cells() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            statuses(&world).await;
            let app = world.app_as(&world.municipal);
            let html = ok_page(&app, &world.town_dashboard()).await;
            let shown = tables(&html);
            assert_eq!(
                shown
                    .iter()
                    .map(|(id, title, _)| (id.as_str(), title.as_str()))
                    .collect::<Vec<_>>(),
                [
                    ("schools", "Школы и ход исполнения"),
                    ("overdue", "Просроченные мероприятия"),
                    ("upcoming", "Ближайшие 14 дней"),
                    ("checkpoints", "Контрольные даты"),
                ]
            );
            for (id, _, grid) in &shown {
                assert!(grid.len() > 1, "the fixture fills table {id}: {grid:?}");
            }

            let all = attrs(&html, "#export-all", "href");
            assert_eq!(
                all,
                [format!(
                    "/dashboard/municipalities/{}/export.xlsx",
                    world.m1
                )]
            );
            let answer = download(&app, &all[0]).await;
            assert_eq!(
                answer.header(header::CONTENT_DISPOSITION),
                format!("attachment; filename=\"municipality-{}.xlsx\"", world.m1)
            );
            let sheets = workbook(&answer.body);
            assert_eq!(
                sheets,
                shown
                    .iter()
                    .map(|(_, title, grid)| (title.clone(), grid.clone()))
                    .collect::<Vec<_>>(),
                "sheet names are the tables' titles, then the header row and the page's rows"
            );

            // One table: its own link, its own sheet.
            let one = attrs(&html, "#overdue h2 a", "href");
            assert_eq!(
                one,
                [format!(
                    "/dashboard/municipalities/{}/export.xlsx?table=overdue",
                    world.m1
                )]
            );
            let sheets = workbook(&download(&app, &one[0]).await.body);
            let overdue = &shown[1];
            assert_eq!(sheets, [(overdue.1.clone(), overdue.2.clone())]);
            assert_eq!(
                sheets[0].1[1],
                strings(&[
                    SCHOOL_A,
                    A_MONTH,
                    &short(day(-30)),
                    "Запланировано (просрочено)"
                ]),
                "the oldest overdue activity first"
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_table_is_a_404_page() {
        let db = TestDb::sqlite().await;
        let world = World::build(&db.store).await;
        let app = world.app_as(&world.municipal);
        let answer = get(
            &app,
            &format!("{}/export.xlsx?table=x", world.town_dashboard()),
        )
        .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert!(
            answer.header(header::CONTENT_TYPE).starts_with("text/html"),
            "an error page, not a workbook"
        );
        assert!(
            answer
                .main_text()
                .contains("Такой таблицы на этой панели нет."),
            "{}",
            answer.main_text()
        );
    }

    #[tokio::test]
    async fn an_empty_table_is_a_sheet_with_its_header_row_only() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let app = world.app_as(&world.lead_a);
            let html = ok_page(&app, &world.school_a_dashboard()).await;
            assert_eq!(count(&html, "#returned-table"), 0, "nothing was returned");
            let answer =
                download(&app, &format!("{}/export.xlsx", world.school_a_dashboard())).await;
            let sheets = workbook(&answer.body);
            assert_eq!(
                sheets
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
                ["Мои мероприятия", "Возвращено куратором"]
            );
            let mut activities = vec![headers(&html, "#activities-table")];
            activities.extend(rows(&html, "#activities-table"));
            assert_eq!(sheets[0].1, activities);
            assert_eq!(
                sheets[1].1,
                [strings(&["Мероприятие", "Срок", "Комментарий куратора"])]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

mod checkpoints {
    use super::*;

    const PAST: &str = "01.09.2025";
    const PAST_TITLE: &str = "Мониторинг на начало года";

    async fn checkpoint_id(world: &World, date: chrono::NaiveDate) -> i64 {
        world
            .store
            .checkpoints_of(world.m1)
            .await
            .expect("checkpoints")
            .into_iter()
            .find(|c| c.due_on == date)
            .map(|c| c.id)
            .unwrap_or_else(|| panic!("a checkpoint on {date}"))
    }

    async fn snapshots(world: &World, id: i64) -> usize {
        world.store.snapshots(id).await.expect("snapshots").len()
    }

    /// Each snapshot section of a checkpoint page: (label, rows, the 100 % line).
    fn sections(html: &scraper::Html) -> Vec<(String, Vec<Vec<String>>, String)> {
        html.select(&selector("section.snapshot"))
            .map(|section| {
                let label = section
                    .select(&selector("h2"))
                    .next()
                    .map(text)
                    .unwrap_or_default();
                let rows = section
                    .select(&selector("tbody tr"))
                    .map(|row| row.select(&selector("td")).map(text).collect())
                    .collect();
                let complete = section
                    .select(&selector("p"))
                    .next()
                    .map(text)
                    .unwrap_or_default();
                (label, rows, complete)
            })
            .collect()
    }

    #[tokio::test]
    async fn dates_are_added_through_the_form_and_bad_or_repeated_dates_are_refused() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let app = world.app_as(&world.municipal);
            let html = ok_page(&app, &world.town_dashboard()).await;
            assert_eq!(
                count(&html, "#checkpoint-form"),
                1,
                "the coordinator sees the form"
            );
            assert_eq!(
                first_text(&html, "#checkpoints p.muted"),
                "Контрольные даты не назначены."
            );

            let uri = format!("/municipalities/{}/checkpoints", world.m1);
            let answer = post_form(&app, &uri, &[("date", PAST), ("title", PAST_TITLE)]).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{}",
                answer.main_text()
            );
            assert_eq!(
                answer.location(),
                format!("/dashboard/municipalities/{}#checkpoints", world.m1)
            );
            let future = short(day(30));
            let answer = post_form(&app, &uri, &[("date", &future), ("title", "")]).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{}",
                answer.main_text()
            );

            for bad in ["31.02.2025", "завтра"] {
                let answer = post_form(&app, &uri, &[("date", bad), ("title", "")]).await;
                assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
                let message = answer.main_text();
                assert!(
                    message.contains("ДД.ММ.ГГГГ") && message.contains(bad),
                    "{bad}: {message}"
                );
            }
            for repeated in [PAST, "2025-09-01"] {
                let answer = post_form(&app, &uri, &[("date", repeated), ("title", "Ещё")]).await;
                assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{repeated}");
                assert!(
                    answer
                        .main_text()
                        .contains("Контрольная дата 01.09.2025 уже назначена."),
                    "{}",
                    answer.main_text()
                );
            }

            let stored = world.store.checkpoints_of(world.m1).await.expect("list");
            assert_eq!(
                stored
                    .iter()
                    .map(|c| (c.due_on, c.title.as_str(), c.snapshots))
                    .collect::<Vec<_>>(),
                [
                    (ymd(2025, 9, 1), PAST_TITLE, 0),
                    (day(30), format!("Мониторинг на {future}").as_str(), 0),
                ],
                "two dates, none frozen by adding them"
            );
        }
    }

    #[tokio::test]
    async fn the_first_snapshot_is_the_record_and_a_recompute_is_shown_beside_it() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let app = world.app_as(&world.municipal);
            let uri = format!("/municipalities/{}/checkpoints", world.m1);
            let answer = post_form(&app, &uri, &[("date", PAST), ("title", PAST_TITLE)]).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{}",
                answer.main_text()
            );
            let past = checkpoint_id(&world, ymd(2025, 9, 1)).await;
            assert_eq!(snapshots(&world, past).await, 0);

            // Opening it takes the first snapshot: by 01.09.2025 A had one activity due (not
            // done), B none (100 %).
            let page = format!("/checkpoints/{past}");
            let html = ok_page(&app, &page).await;
            assert_eq!(snapshots(&world, past).await, 1);
            assert_eq!(first_text(&html, "h1"), format!("{PAST_TITLE} ({PAST})"));
            let record = sections(&html);
            assert_eq!(record.len(), 1, "{record:?}");
            assert!(
                record[0].0.starts_with("Срез (зафиксирован "),
                "{}",
                record[0].0
            );
            let first_rows = vec![
                strings(&[SCHOOL_A, "0 из 1", "0 %"]),
                strings(&[SCHOOL_B, "0 из 0", "100 %"]),
            ];
            assert_eq!(record[0].1, first_rows);
            assert_eq!(
                record[0].2,
                format!("Школы со 100 % заполнением: {SCHOOL_B}.")
            );
            assert_eq!(count(&html, "#recompute"), 1);
            ok_page(&app, &page).await;
            assert_eq!(
                snapshots(&world, past).await,
                1,
                "opened again: no new snapshot"
            );

            // A's activity is done with evidence now; recomputing keeps the record.
            let store = &world.store;
            attach(store, &world.map_a.key(OLD)).await;
            set(store, &world.map_a.key(OLD), "planned", "done").await;
            let answer = post_form(&app, &format!("{page}/recompute"), &[]).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{}",
                answer.main_text()
            );
            assert_eq!(answer.location(), page);
            let html = ok_page(&app, &page).await;
            let shown = sections(&html);
            assert_eq!(shown.len(), 2, "{shown:?}");
            assert_eq!(shown[0], record[0], "the record is unchanged");
            assert!(shown[1].0.starts_with("Пересчёт "), "{}", shown[1].0);
            assert_eq!(
                shown[1].1,
                [
                    strings(&[SCHOOL_A, "1 из 1", "100 %"]),
                    strings(&[SCHOOL_B, "0 из 0", "100 %"]),
                ]
            );
            assert_eq!(
                shown[1].2,
                format!("Школы со 100 % заполнением: {SCHOOL_A}, {SCHOOL_B}.")
            );
            assert!(!html.html().contains("Предварительно"));

            // The dashboard counts the record's schools at 100 %.
            let html = ok_page(&app, &world.town_dashboard()).await;
            assert_eq!(
                rows(&html, "#checkpoints-table"),
                [strings(&[PAST, PAST_TITLE, "1 из 2"])]
            );
        }
    }

    #[tokio::test]
    async fn a_future_date_is_only_previewed_and_cannot_be_recomputed() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let store = &world.store;
            attach(store, &world.map_a.key(OLD)).await;
            set(store, &world.map_a.key(OLD), "planned", "done").await;
            let app = world.app_as(&world.municipal);
            let uri = format!("/municipalities/{}/checkpoints", world.m1);
            let date = short(day(30));
            let answer = post_form(&app, &uri, &[("date", &date), ("title", "Весна")]).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{}",
                answer.main_text()
            );
            let future = checkpoint_id(&world, day(30)).await;

            let page = format!("/checkpoints/{future}");
            let html = ok_page(&app, &page).await;
            let shown = sections(&html);
            assert_eq!(shown.len(), 1, "{shown:?}");
            assert_eq!(shown[0].0, "Предварительно, на сегодня (не сохраняется)");
            // Due by the date: A five (one filled), B two.
            assert_eq!(
                shown[0].1,
                [
                    strings(&[SCHOOL_A, "1 из 5", "20 %"]),
                    strings(&[SCHOOL_B, "0 из 2", "0 %"]),
                ]
            );
            assert_eq!(
                count(&html, "#recompute"),
                0,
                "no recompute before the date"
            );
            assert_eq!(snapshots(&world, future).await, 0, "a preview is not kept");

            let answer = post_form(&app, &format!("{page}/recompute"), &[]).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST);
            assert!(
                answer
                    .main_text()
                    .contains(&format!("Дата среза {date} ещё не наступила.")),
                "{}",
                answer.main_text()
            );
            assert_eq!(snapshots(&world, future).await, 0);

            let html = ok_page(&app, &world.town_dashboard()).await;
            assert_eq!(
                rows(&html, "#checkpoints-table"),
                [strings(&[&date, "Весна", "срез ещё не сделан"])]
            );
            assert_eq!(snapshots(&world, future).await, 0);
        }
    }

    async fn add(
        store: &orientir_store::Store,
        m: i64,
        date: chrono::NaiveDate,
        title: &str,
    ) -> i64 {
        store
            .add_checkpoint(m, date, title)
            .await
            .expect("add a checkpoint")
            .expect("a new date")
    }

    #[tokio::test]
    async fn freezing_takes_each_come_date_once_and_leaves_future_ones() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let store = world.store_as(&world.municipal);
            let regional = world.store_as(&world.regional);
            let past = add(&store, world.m1, ymd(2025, 9, 1), "Начало года").await;
            let today_one = add(&store, world.m1, today(), "Сегодня").await;
            let future = add(&store, world.m1, day(1), "Завтра").await;
            let district = add(&regional, world.m2, ymd(2025, 10, 1), "Район").await;

            let frozen = orientir_web::freeze_due_checkpoints(&world.store)
                .await
                .expect("freeze");
            assert_eq!(frozen, 3, "the past, today's and the district's");
            for id in [past, today_one, district] {
                assert_eq!(snapshots(&world, id).await, 1, "checkpoint {id}");
            }
            assert_eq!(snapshots(&world, future).await, 0);

            let district_snapshot = world.store.snapshots(district).await.expect("snapshots")[0].id;
            let results = world
                .store
                .snapshot_results(district_snapshot)
                .await
                .expect("results");
            assert_eq!(
                results
                    .iter()
                    .map(|r| (r.school_name.as_str(), r.done, r.due))
                    .collect::<Vec<_>>(),
                [(SCHOOL_D, 0, 0), (SCHOOL_C, 0, 0)],
                "the district's schools with road maps, nothing due by 01.10.2025"
            );

            assert_eq!(
                orientir_web::freeze_due_checkpoints(&world.store)
                    .await
                    .expect("freeze again"),
                0,
                "only once"
            );
            let app = world.app_as(&world.municipal);
            ok_page(&app, &format!("/checkpoints/{past}")).await;
            ok_page(&app, &world.town_dashboard()).await;
            for id in [past, today_one, district] {
                assert_eq!(snapshots(&world, id).await, 1, "checkpoint {id}");
            }
            assert_eq!(snapshots(&world, future).await, 0);
        }
    }

    #[tokio::test]
    async fn people_opening_a_come_date_at_once_make_one_record() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let id = world
                .store_as(&world.municipal)
                .add_checkpoint(world.m1, ymd(2025, 9, 1), PAST_TITLE)
                .await
                .expect("add")
                .expect("a new date");
            let municipal = world.app_as(&world.municipal);
            let regional = world.app_as(&world.regional);
            let page = format!("/checkpoints/{id}");
            let dashboard = world.town_dashboard();
            // The coordinators open the page and the hourly task runs, all at the same moment.
            let (first, second, third, frozen) = tokio::join!(
                get(&municipal, &page),
                get(&regional, &page),
                get(&municipal, &dashboard),
                orientir_web::freeze_due_checkpoints(&world.store),
            );
            for answer in [first, second, third] {
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.main_text());
            }
            frozen.expect("freeze");
            assert_eq!(
                snapshots(&world, id).await,
                1,
                "the first snapshot is taken once, however many look at the date"
            );
            let html = ok_page(&municipal, &page).await;
            let labels: Vec<String> = sections(&html).into_iter().map(|s| s.0).collect();
            assert_eq!(labels.len(), 1, "no recompute was asked for: {labels:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Who may

mod access {
    use super::*;

    #[tokio::test]
    async fn a_school_lead_can_neither_add_a_date_nor_open_the_municipal_dashboard() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let lead = world.app_as(&world.lead_a);
            let answer = post_form(
                &lead,
                &format!("/municipalities/{}/checkpoints", world.m1),
                &[("date", "01.09.2025"), ("title", "Моя дата")],
            )
            .await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{}",
                answer.main_text()
            );
            assert!(
                world
                    .store
                    .checkpoints_of(world.m1)
                    .await
                    .expect("checkpoints")
                    .is_empty(),
                "nothing added"
            );
            let answer = get(&lead, &world.town_dashboard()).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN);
            assert!(
                !answer.text().contains(SCHOOL_B),
                "the refusal shows nothing of the municipality"
            );
            let answer = get(&lead, &format!("{}/export.xlsx", world.town_dashboard())).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN);

            // Nor recompute one a coordinator added.
            let id = world
                .store_as(&world.municipal)
                .add_checkpoint(world.m1, ymd(2025, 9, 1), "Начало года")
                .await
                .expect("add")
                .expect("a new date");
            let answer = post_form(&lead, &format!("/checkpoints/{id}/recompute"), &[]).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN);
            assert_eq!(world.store.snapshots(id).await.expect("snapshots").len(), 0);
        }
    }

    #[tokio::test]
    async fn a_curator_cannot_add_a_date() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let curator = world.app_as(&world.curator);
            let answer = post_form(
                &curator,
                &format!("/municipalities/{}/checkpoints", world.m1),
                &[("date", "01.09.2025"), ("title", "")],
            )
            .await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{}",
                answer.main_text()
            );
            assert!(
                world
                    .store
                    .checkpoints_of(world.m1)
                    .await
                    .expect("checkpoints")
                    .is_empty()
            );
        }
    }
}

mod visits {
    use super::*;
    use chrono::{Duration, Utc};

    #[tokio::test]
    async fn the_curator_dashboard_lists_planned_visits_before_recorded_ones() {
        for db in TestDb::all().await {
            let world = World::build(&db.store).await;
            let today = Utc::now().date_naive();
            let store = world.store_as(&world.curator);
            let later = store
                .plan_visit(
                    &world.a,
                    world.curator.id,
                    today + Duration::days(7),
                    "Методический визит",
                )
                .await
                .expect("a planned visit");
            let done = store
                .plan_visit(
                    &world.a,
                    world.curator.id,
                    today - Duration::days(7),
                    "Посещение уроков",
                )
                .await
                .expect("an earlier visit");
            store
                .record_visit(done, today - Duration::days(6), "Уроки посещены")
                .await
                .expect("recorded");
            let html = ok_page(&world.app_as(&world.curator), "/dashboard/curator").await;
            let visits = rows(&html, "#visits-table");
            assert_eq!(visits.len(), 2, "{visits:?}");
            assert_eq!(
                visits[0][1],
                short(today + Duration::days(7)),
                "planned first: {visits:?}"
            );
            assert_eq!(visits[0][3], "запланирован");
            assert_eq!(visits[1][2], "Посещение уроков");
            assert_eq!(
                visits[1][3],
                format!("проведён {}", short(today - Duration::days(6)))
            );
            let _ = later;
        }
    }
}
