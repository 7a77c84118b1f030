//! Eight writers through the pages (comments, status changes, activity edits) and an import of
//! results through a second connection pool — another process as far as the database can tell —
//! for `ORIENTIR_CONCURRENCY_SECONDS` (10 by default). Every write must be answered as done and be
//! present afterwards: on SQLite a deferred transaction that read before writing used to fail with
//! `SQLITE_BUSY_SNAPSHOT` (HTTP 500, the edit lost) whenever another connection committed first.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use orientir_domain::identify::Procedure;
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::{Activity, Level};
use orientir_store::testing::TestDb;
use orientir_store::{ResultCell, ResultsKind, Store};
use orientir_web::testing;

use crate::common::{TOWN, city_school, request, road_map, save_map, send};

const SCHOOL: &str = "7701001";
const COMMENTERS: usize = 3;
const STATUS_WRITERS: usize = 3;
const EDITORS: usize = 2;

fn seconds() -> u64 {
    std::env::var("ORIENTIR_CONCURRENCY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
}

fn activity(number: usize) -> Activity {
    Activity {
        number: Some(number.to_string()),
        title: format!("Мероприятие {number}"),
        period: None,
        responsible: vec![],
        // No output named: «Выполнено» needs no evidence, so a writer can go back and forth.
        output: None,
        indicator: None,
        publicity: None,
        external_help: None,
    }
}

/// What one writer did: the writes answered as done, in order, and every other answer.
#[derive(Default)]
struct Log {
    acknowledged: Vec<String>,
    failures: Vec<String>,
}

/// Sends `form` to `uri` until `stop`; a write is acknowledged by the page's redirect (303).
async fn write_loop(
    app: Router,
    stop: Arc<AtomicBool>,
    uri: String,
    form: impl Fn(usize) -> (String, Vec<(&'static str, String)>),
) -> Log {
    let mut log = Log::default();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let (value, pairs) = form(n);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = send(&app, request::post_form(&uri, &pairs)).await;
        if answer.status == StatusCode::SEE_OTHER {
            log.acknowledged.push(value);
        } else {
            log.failures
                .push(format!("{uri}: {} {}", answer.status, answer.message()));
        }
        n += 1;
    }
    log
}

/// Imports results again and again through its own pool, each import a new set of cells.
async fn import_loop(url: String, stop: Arc<AtomicBool>) -> Log {
    let mut log = Log::default();
    let store = match Store::connect(&url).await {
        Ok(store) => store,
        Err(err) => {
            log.failures.push(format!("import: connect: {err}"));
            return log;
        }
    };
    let school = SchoolId::parse(SCHOOL).expect("a valid school id");
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let cells: Vec<ResultCell> = (0..600)
            .map(|i| ResultCell {
                school_id: school.clone(),
                year: 1900 + i / 6,
                procedure: Procedure::Vpr,
                subject: "ru".to_owned(),
                grade: 4 + (i % 6) as u8,
                participants: 20 + n % 7,
                failed: n % 5,
                mark2: n % 5,
                mark3: 20 + n % 7 - n % 5,
                mark4: 0,
                mark5: 0,
                score_sum: None,
                score_min: None,
                score_max: None,
                ege_scores: None,
            })
            .collect();
        let name = format!("import-{n}");
        match store
            .import_results(&name, ResultsKind::Aggregated, &cells, 600, 0)
            .await
        {
            Ok(_) => log.acknowledged.push(name),
            Err(err) => log.failures.push(format!("import {name}: {err}")),
        }
        n += 1;
    }
    store.close().await;
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_and_an_import_lose_nothing() {
    for db in TestDb::all().await {
        let store = &db.store;
        store
            .import_schools(&[city_school(SCHOOL, "МБОУ СОШ № 1", TOWN)])
            .await
            .expect("the registry");
        let school = Scope::School(SchoolId::parse(SCHOOL).expect("a valid school id"));
        let activities = (1..=COMMENTERS + STATUS_WRITERS + EDITORS)
            .map(activity)
            .collect();
        let map = save_map(
            store,
            &school,
            &road_map("Дорожная карта школы", Level::School, activities),
        )
        .await;
        let region = store.regions().await.expect("regions")[0].id;
        let municipality = store
            .municipality_overview(region, None)
            .await
            .expect("municipalities")[0]
            .id;
        let lead = testing::user(store, "lead", Role::SchoolLead, &school)
            .await
            .expect("the school lead");
        let coordinator = testing::user(
            store,
            "moyo",
            Role::MunicipalCoordinator,
            &Scope::Municipality(municipality),
        )
        .await
        .expect("the municipal coordinator");
        let app = orientir_web::app(store.clone());
        let as_lead = testing::as_user(app.clone(), &lead);
        let as_coordinator = testing::as_user(app, &coordinator);

        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for i in 0..COMMENTERS {
            let uri = format!("/road-maps/{}/activities/{}/comments", map.id, map.keys[i]);
            writers.push(tokio::spawn(write_loop(
                as_lead.clone(),
                stop.clone(),
                uri,
                move |n| {
                    let body = format!("Комментарий {i}-{n}");
                    (body.clone(), vec![("body", body)])
                },
            )));
        }
        for i in COMMENTERS..COMMENTERS + STATUS_WRITERS {
            let uri = format!("/road-maps/{}/activities/{}/status", map.id, map.keys[i]);
            writers.push(tokio::spawn(write_loop(
                as_lead.clone(),
                stop.clone(),
                uri,
                |n| {
                    let status = if n % 2 == 0 { "in_progress" } else { "done" };
                    (status.to_owned(), vec![("status", status.to_owned())])
                },
            )));
        }
        for i in COMMENTERS + STATUS_WRITERS..COMMENTERS + STATUS_WRITERS + EDITORS {
            let uri = format!("/road-maps/{}/sections/0/activities/{i}", map.id);
            writers.push(tokio::spawn(write_loop(
                as_coordinator.clone(),
                stop.clone(),
                uri,
                move |n| {
                    let title = format!("Правка {i}-{n}");
                    (
                        title.clone(),
                        vec![
                            ("number", (i + 1).to_string()),
                            ("title", title),
                            ("period", "В течение года".to_owned()),
                        ],
                    )
                },
            )));
        }
        let importer = tokio::spawn(import_loop(db.url.clone(), stop.clone()));

        let started = Instant::now();
        tokio::time::sleep(Duration::from_secs(seconds())).await;
        stop.store(true, Ordering::Relaxed);
        let mut logs = Vec::new();
        for writer in writers {
            logs.push(writer.await.expect("a writer task"));
        }
        let imports = importer.await.expect("the import task");
        let elapsed = started.elapsed().as_secs_f64();

        let failures: Vec<&String> = logs
            .iter()
            .chain([&imports])
            .flat_map(|log| &log.failures)
            .collect();
        let acknowledged: usize = logs.iter().map(|log| log.acknowledged.len()).sum();
        eprintln!(
            "{}: {acknowledged} page writes and {} imports in {elapsed:.1} s, {} failed",
            store.backend(),
            imports.acknowledged.len(),
            failures.len()
        );
        assert!(
            failures.is_empty(),
            "{}: {} writes failed, e.g. {:?}",
            store.backend(),
            failures.len(),
            failures.iter().take(5).collect::<Vec<_>>()
        );
        assert!(
            logs.iter().all(|log| !log.acknowledged.is_empty()) && !imports.acknowledged.is_empty(),
            "every writer got at least one write through"
        );

        // Every acknowledged comment is there.
        let comments: Vec<String> = store
            .comments_of(map.id)
            .await
            .expect("comments")
            .into_iter()
            .map(|c| c.body)
            .collect();
        for log in &logs[..COMMENTERS] {
            for body in &log.acknowledged {
                assert!(comments.contains(body), "comment «{body}» was kept");
            }
        }
        assert_eq!(
            comments.len(),
            logs[..COMMENTERS]
                .iter()
                .map(|l| l.acknowledged.len())
                .sum::<usize>(),
            "no comment is counted twice or invented"
        );
        // Each activity's status is the last one acknowledged.
        let progress = store.progress_of(map.id).await.expect("statuses");
        for (i, log) in logs[COMMENTERS..COMMENTERS + STATUS_WRITERS]
            .iter()
            .enumerate()
        {
            let key = map.keys[COMMENTERS + i];
            let status = progress
                .iter()
                .find(|p| p.activity_key == key)
                .map(|p| p.status.as_str());
            assert_eq!(status, log.acknowledged.last().map(String::as_str));
        }
        // Each edited activity has the title of its last acknowledged edit.
        let stored = store
            .road_map(map.id, None)
            .await
            .expect("the road map")
            .expect("it exists");
        for (j, log) in logs[COMMENTERS + STATUS_WRITERS..].iter().enumerate() {
            let index = COMMENTERS + STATUS_WRITERS + j;
            assert_eq!(
                Some(&stored.map.sections[0].activities[index].title),
                log.acknowledged.last()
            );
        }
        // Every acknowledged import is recorded, and the cells are the last import's.
        let recorded: Vec<String> = store
            .result_imports()
            .await
            .expect("imports")
            .into_iter()
            .map(|i| i.file_name)
            .collect();
        for name in &imports.acknowledged {
            assert!(recorded.contains(name), "import {name} was recorded");
        }
        let cells = store.result_cells(1900..=2000).await.expect("cells");
        assert_eq!(
            cells.len(),
            600,
            "re-imported cells replace, never duplicate"
        );
    }
}
