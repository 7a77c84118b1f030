//! Access control as users meet it (issue #5, DESIGN.md §9): the matrix of role × resource ×
//! read/write, the places a user must never reach by any URL, sign-in and sessions, CSRF, escaping
//! of what users type, and evidence files. Every test runs on SQLite and, when `ORIENTIR_TEST_PG`
//! is set, on PostgreSQL with the same assertions.

mod common;
#[path = "access/matrix.rs"]
mod matrix;
#[path = "access/support.rs"]
mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use orientir_domain::registry::Scope;
use orientir_store::testing::TestDb;
use orientir_web::auth::credentials::sha256_hex;
use orientir_web::testing::{self, PASSWORD};

use support::*;

// ---------------------------------------------------------------------------------------------
// Places a user must not reach, by any URL or API call

/// The owner code of upload forms: `school:1001`, `municipality:3`.
fn owner_code(owner: &Scope) -> String {
    match owner {
        Scope::Region(id) => format!("region:{id}"),
        Scope::Municipality(id) => format!("municipality:{id}"),
        Scope::School(id) => format!("school:{id}"),
    }
}

const SMALL_MAP: &str = "ПРИКАЗ\n\n№ 15\n\nДорожная карта по поддержке школ на 2024-2025 уч. год\n\n\
    №\tМероприятия\tСроки\tОтветственный\n\
    I. Организационная работа\t\t\t\n\
    1\tАнализ результатов ВПР\tСентябрь 2024 г.\tИванова А.А.\n";

/// Every request that reads or changes the road map of `target`, its activities, evidence and
/// comments, its owner's card, or creates a road map for that owner: (what, request, is API).
async fn every_url_of(
    world: &World,
    target: Target,
    api_token: &str,
) -> Vec<(String, Request<Body>, bool)> {
    let map = world.map(target);
    let id = map.id;
    let work = map.work_page();
    let review = format!("/road-maps/{id}/activities/{}/status", map.review);
    let owner = owner_code(&map.owner);
    let (source, derive_school) = world.derive_source(target);
    let stored = world
        .store
        .road_map(id, None)
        .await
        .expect("road map")
        .expect("the road map exists");
    let json = serde_json::to_string(&stored.map).expect("the road map serializes");
    fn page(uri: String) -> (String, Request<Body>, bool) {
        (uri.clone(), get(&uri), false)
    }
    fn form(uri: String, pairs: &[(&str, &str)]) -> (String, Request<Body>, bool) {
        (uri.clone(), post_form(&uri, pairs), false)
    }
    let curator = world.user(Who::Curator).id.to_string();
    let mut requests = match world.school(target) {
        Some(school) => {
            let api = format!("/api/v1/schools/{school}");
            vec![
                page(format!("/schools/{school}")),
                (api.clone(), bearer(&api, api_token), true),
                page(format!("/dashboard/schools/{school}")),
                page(format!("/dashboard/schools/{school}/export.xlsx")),
                page(format!("/schools/{school}/curators")),
                form(
                    format!("/schools/{school}/curators"),
                    &[("user", curator.as_str())],
                ),
                page(format!("/schools/{school}/visits/new")),
                page(format!("/schools/{school}/agreements/new")),
            ]
        }
        None => {
            let Scope::Municipality(m) = map.owner else {
                panic!("targets are schools or municipalities")
            };
            let api = format!("/api/v1/municipalities/{m}/schools");
            vec![
                page(format!("/municipalities/{m}")),
                (api.clone(), bearer(&api, api_token), true),
                page(format!("/dashboard/municipalities/{m}")),
                page(format!("/dashboard/municipalities/{m}/export.xlsx")),
                form(
                    format!("/municipalities/{m}/checkpoints"),
                    &[("date", "01.09.2026"), ("title", "Чужой мониторинг")],
                ),
            ]
        }
    };
    requests.extend(vec![
        page(format!("/road-maps/{id}")),
        page(format!("/road-maps/{id}?version=1")),
        page(format!("/road-maps/{id}/export/docx")),
        page(format!("/road-maps/{id}/export/xlsx")),
        page(format!("/road-maps/{id}/execution")),
        page(work.clone()),
        page(format!("/evidence/{}", map.evidence)),
        page(format!("/road-maps/{id}/sections/0/activities/0/edit")),
        page(format!("/road-maps/{id}/sections/0/activities/new")),
        page(format!("/road-maps/new?owner={owner}")),
        form(
            format!("/road-maps/{id}/sections/0/activities/0"),
            &[("number", "1"), ("title", "Чужая правка")],
        ),
        form(
            format!("/road-maps/{id}/sections/0/activities"),
            &[("number", "3"), ("title", "Чужое мероприятие")],
        ),
        form(
            format!("/road-maps/{id}/sections/0/activities/0/delete"),
            &[],
        ),
        form(
            format!("/road-maps/{id}/sections/0/activities/0/move"),
            &[("direction", "down")],
        ),
        form(format!("/road-maps/{id}/approve"), &[]),
        form(
            format!("{work}/status"),
            &[("occurrence", ""), ("status", "in_progress")],
        ),
        form(
            format!("{work}/status"),
            &[("occurrence", ""), ("status", "done")],
        ),
        form(
            review,
            &[
                ("occurrence", ""),
                ("status", "returned"),
                ("comment", "Переделать"),
            ],
        ),
        form(
            format!("{work}/comments"),
            &[("occurrence", ""), ("body", "Чужой комментарий")],
        ),
        (
            format!("{work}/evidence (file)"),
            evidence_upload(&format!("{work}/evidence"), "chuzhoe.pdf", PDF),
            false,
        ),
        (
            format!("{work}/evidence (link)"),
            multipart(
                &format!("{work}/evidence"),
                &[
                    Part::Text("occurrence", ""),
                    Part::Text("url", "https://example.org/chuzhoe"),
                ],
            ),
            false,
        ),
        (
            "/road-maps/preview".to_owned(),
            multipart(
                "/road-maps/preview",
                &[
                    Part::Text("owner", &owner),
                    Part::File {
                        field: "file",
                        file_name: "karta.txt",
                        content_type: "text/plain",
                        bytes: SMALL_MAP.as_bytes(),
                    },
                ],
            ),
            false,
        ),
        form(
            "/road-maps".to_owned(),
            &[
                ("owner", &owner),
                ("file_name", "karta.txt"),
                ("road_map", &json),
            ],
        ),
        form(
            format!("/road-maps/{}/derive", source.id),
            &[("school", derive_school.as_str()), ("pick", "0-0")],
        ),
    ]);
    requests
}

/// Sends every URL of `target` as `who`: each must be refused with 403 and a Russian reason, and
/// the road map, its execution records and its owner's road maps must stay as they were.
async fn assert_every_url_refused(world: &World, who: Who, target: Target) {
    let map = world.map(target);
    let before = snapshot(&world.store, map).await;
    let others_before = around(world).await;
    let app = world.app_as(who);
    let mut failures = Vec::new();
    let attempts = every_url_of(world, target, &world.user(who).api_token).await;
    let total = attempts.len();
    for (what, request, is_api) in attempts {
        let answer = if is_api {
            send(&world.anonymous(), request).await
        } else {
            send(&app, request).await
        };
        let message = answer.message();
        if answer.status != StatusCode::FORBIDDEN || !message.contains("Недостаточно прав:")
        {
            failures.push(format!("{what}: {} «{message}»", answer.status));
        }
    }
    assert!(
        failures.is_empty(),
        "{} reached {target:?} on {} ({} of {total} requests not refused):\n{}",
        who.login(),
        world.store.backend(),
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        snapshot(&world.store, map).await,
        before,
        "{} changed the road map of {target:?} on {}",
        who.login(),
        world.store.backend()
    );
    assert_eq!(
        around(world).await,
        others_before,
        "{} changed curator assignments or monitoring dates on {}",
        who.login(),
        world.store.backend()
    );
}

/// What the place-level forms could change: the curator's grants (assignments) and the number of
/// monitoring dates of each municipality.
async fn around(world: &World) -> (orientir_domain::access::Principal, usize, usize) {
    let curator = world.user(Who::Curator);
    let principal = world
        .store
        .principal(curator.id, &curator.login)
        .await
        .expect("the curator's grants");
    let dates = |m| async move {
        world
            .store
            .checkpoints_of(m)
            .await
            .expect("checkpoints")
            .len()
    };
    (principal, dates(world.m1).await, dates(world.m2).await)
}

#[tokio::test]
async fn a_school_lead_cannot_read_or_change_another_schools_road_map_evidence_or_comments() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        assert_every_url_refused(&world, Who::LeadB, Target::A).await;
        assert_every_url_refused(&world, Who::LeadA, Target::B).await;
        assert_every_url_refused(&world, Who::LeadA, Target::C).await;
    }
}

#[tokio::test]
async fn a_curator_reaches_only_the_schools_assigned_to_them() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        assert_every_url_refused(&world, Who::Curator, Target::B).await;
        assert_every_url_refused(&world, Who::Curator, Target::C).await;
        // The assigned school is theirs to work with.
        let app = world.app_as(Who::Curator);
        let map = world.map(Target::A);
        let page = send(&app, get(&map.work_page())).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.message());
        assert!(page.text().contains("Справка приложена, проверьте."));
        let answer = send(
            &app,
            post_form(
                &format!("{}/comments", map.work_page()),
                &[("occurrence", ""), ("body", "Куратор: принято к сведению")],
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());
        assert_eq!(answer.location(), map.work_page());
    }
}

#[tokio::test]
async fn a_municipal_coordinator_cannot_reach_the_other_municipality() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        assert_every_url_refused(&world, Who::Municipal, Target::M2).await;
        assert_every_url_refused(&world, Who::Municipal, Target::C).await;
        // The region page (every municipality's counts) is not theirs either.
        let answer = send(
            &world.app_as(Who::Municipal),
            get(&format!("/regions/{}", world.region)),
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
}

// ---------------------------------------------------------------------------------------------
// Nobody signed in

/// Page URLs of the fixture, GET and POST, that need a signed-in user.
fn page_requests(world: &World) -> Vec<(String, Request<Body>)> {
    let map = world.map(Target::A);
    let id = map.id;
    let work = map.work_page();
    let gets = [
        "/".to_owned(),
        format!("/regions/{}", world.region),
        format!("/municipalities/{}", world.m1),
        format!("/schools/{}", world.a),
        format!("/road-maps/{id}"),
        format!("/road-maps/{id}?version=1"),
        format!("/road-maps/{id}/export/docx"),
        format!("/road-maps/{id}/execution"),
        work.clone(),
        format!("/evidence/{}", map.evidence),
        format!("/road-maps/{id}/sections/0/activities/0/edit"),
        format!("/road-maps/new?owner=school:{}", world.a),
        format!("/road-maps/{}/derive", world.map(Target::M1).id),
        "/identification".to_owned(),
        "/account/password".to_owned(),
    ];
    let mut requests: Vec<(String, Request<Body>)> = gets
        .into_iter()
        .map(|uri| (uri.clone(), get(&uri)))
        .collect();
    let forms: [(String, &[(&str, &str)]); 6] = [
        (
            format!("{work}/status"),
            &[("occurrence", ""), ("status", "in_progress")],
        ),
        (
            format!("{work}/comments"),
            &[("occurrence", ""), ("body", "Аноним")],
        ),
        (format!("/road-maps/{id}/approve"), &[]),
        (
            format!("/road-maps/{id}/sections/0/activities/0"),
            &[("title", "Аноним")],
        ),
        ("/logout".to_owned(), &[]),
        (
            "/account/password".to_owned(),
            &[("current", "x"), ("new", "y"), ("repeat", "y")],
        ),
    ];
    for (uri, pairs) in forms {
        requests.push((uri.clone(), post_form(&uri, pairs)));
    }
    let evidence = format!("{work}/evidence");
    requests.push((
        evidence.clone(),
        evidence_upload(&evidence, "anon.pdf", PDF),
    ));
    requests
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_sign_in_and_back_and_changes_nothing() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let map = world.map(Target::A);
        let before = snapshot(&world.store, map).await;
        for (uri, request) in page_requests(&world) {
            let answer = send(&app, request).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
            assert_eq!(answer.location(), login_redirect(&uri), "{uri}");
        }
        assert_eq!(
            snapshot(&world.store, map).await,
            before,
            "an anonymous request changed the road map"
        );
        // The sign-in page remembers where to return.
        let next = map.work_page();
        let form = send(&app, get(&login_redirect(&next))).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(input_value(&form.html(), "#login-form", "next"), next);
    }
}

#[tokio::test]
async fn the_api_answers_401_in_russian_without_a_valid_token() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let uris = [
            "/api/v1/regions".to_owned(),
            format!("/api/v1/regions/{}", world.region),
            "/api/v1/years".to_owned(),
            format!("/api/v1/municipalities/{}/schools", world.m1),
            format!("/api/v1/schools/{}", world.a),
        ];
        for uri in &uris {
            let forged = bearer(uri, &"0".repeat(64));
            let with_session_cookie_only =
                with_header(get(uri), "cookie", "orientir_session=attacker");
            for (how, request) in [
                ("no token", get(uri)),
                ("unknown token", forged),
                ("unknown session", with_session_cookie_only),
            ] {
                let answer = send(&app, request).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{uri}, {how}");
                assert!(
                    answer
                        .header(header::CONTENT_TYPE)
                        .starts_with("application/json"),
                    "{uri}, {how}: JSON"
                );
                assert!(
                    answer.message().starts_with("Требуется вход в систему"),
                    "{uri}, {how}: «{}»",
                    answer.message()
                );
            }
        }
        // The same token of a real user opens it.
        let answer = send(
            &app,
            bearer(
                &format!("/api/v1/schools/{}", world.a),
                &world.user(Who::LeadA).api_token,
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
}

// ---------------------------------------------------------------------------------------------
// CSRF

/// A request with only the session cookie of `who`: what a forged form from another site sends.
fn cookie_only(world: &World, who: Who, request: Request<Body>) -> Request<Body> {
    with_header(request, "cookie", &world.user(who).cookie)
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let map = world.map(Target::A);
        let work = map.work_page();
        let before = snapshot(&world.store, map).await;
        let other_users_token = world.user(Who::LeadB).csrf.clone();
        let attempts = [
            (
                "status",
                cookie_only(
                    &world,
                    Who::LeadA,
                    post_form(
                        &format!("{work}/status"),
                        &[("occurrence", ""), ("status", "in_progress")],
                    ),
                ),
            ),
            (
                "comment",
                cookie_only(
                    &world,
                    Who::LeadA,
                    post_form(
                        &format!("{work}/comments"),
                        &[("occurrence", ""), ("body", "Подделка")],
                    ),
                ),
            ),
            (
                "evidence",
                cookie_only(
                    &world,
                    Who::LeadA,
                    evidence_upload(&format!("{work}/evidence"), "forged.pdf", PDF),
                ),
            ),
            (
                "edit",
                cookie_only(
                    &world,
                    Who::LeadA,
                    post_form(
                        &format!("/road-maps/{}/sections/0/activities/0", map.id),
                        &[("number", "1"), ("title", "Подделка")],
                    ),
                ),
            ),
            (
                "approve",
                cookie_only(
                    &world,
                    Who::Regional,
                    post_form(&format!("/road-maps/{}/approve", map.id), &[]),
                ),
            ),
            (
                "another session's token in the header",
                with_header(
                    cookie_only(
                        &world,
                        Who::LeadA,
                        post_form(
                            &format!("{work}/comments"),
                            &[("occurrence", ""), ("body", "Подделка")],
                        ),
                    ),
                    "x-csrf-token",
                    &other_users_token,
                ),
            ),
            (
                "another session's token in the form",
                cookie_only(
                    &world,
                    Who::LeadA,
                    post_form(
                        &format!("{work}/comments"),
                        &[
                            ("csrf", other_users_token.as_str()),
                            ("occurrence", ""),
                            ("body", "Подделка"),
                        ],
                    ),
                ),
            ),
            (
                "an empty token",
                cookie_only(
                    &world,
                    Who::LeadA,
                    post_form(
                        &format!("{work}/comments"),
                        &[("csrf", ""), ("occurrence", ""), ("body", "Подделка")],
                    ),
                ),
            ),
        ];
        for (what, request) in attempts {
            let answer = send(&app, request).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{what}");
            assert!(
                answer.message().contains("Форма устарела"),
                "{what}: «{}»",
                answer.message()
            );
        }
        assert_eq!(
            snapshot(&world.store, map).await,
            before,
            "a forged POST changed the road map on {}",
            world.store.backend()
        );

        // Signing out and changing the password are forms too.
        let answer = send(
            &app,
            cookie_only(&world, Who::LeadA, post_form("/logout", &[])),
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let new_password = "совсем-другой-пароль";
        let answer = send(
            &app,
            cookie_only(
                &world,
                Who::LeadA,
                post_form(
                    "/account/password",
                    &[
                        ("current", PASSWORD),
                        ("new", new_password),
                        ("repeat", new_password),
                    ],
                ),
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let still = send(&app, cookie_only(&world, Who::LeadA, get(&work))).await;
        assert_eq!(still.status, StatusCode::OK, "the session was not ended");
        let (status, _) = sign_in(&app, Who::LeadA.login(), PASSWORD, None).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "the password was not changed"
        );
    }
}

#[tokio::test]
async fn the_csrf_token_sent_as_a_form_field_is_accepted() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let lead = world.user(Who::LeadA);
        let map = world.map(Target::A);
        let work = map.work_page();

        // The token the page's own form carries.
        let page = send(&app, cookie_only(&world, Who::LeadA, get(&work))).await;
        let token = input_value(&page.html(), "form.comment-form", "csrf");
        assert_eq!(token, lead.csrf);

        let answer = send(
            &app,
            cookie_only(
                &world,
                Who::LeadA,
                post_form(
                    &format!("{work}/comments"),
                    &[
                        ("csrf", token.as_str()),
                        ("occurrence", ""),
                        ("body", "Отправлено формой"),
                    ],
                ),
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());
        let comments = world.store.comments_of(map.id).await.expect("comments");
        assert!(comments.iter().any(|c| c.body == "Отправлено формой"));

        // A multipart form carries it as its first field.
        let upload = multipart(
            &format!("{work}/evidence"),
            &[
                Part::Text("csrf", &token),
                Part::Text("occurrence", ""),
                Part::File {
                    field: "file",
                    file_name: "form-field.pdf",
                    content_type: "application/pdf",
                    bytes: PDF,
                },
            ],
        );
        let answer = send(&app, cookie_only(&world, Who::LeadA, upload)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());
        let evidence = world.store.evidence_of(map.id).await.expect("evidence");
        assert!(
            evidence
                .iter()
                .any(|e| e.file_name.as_deref() == Some("form-field.pdf"))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What users type is shown as text

const HOSTILE: &str = "<script>alert(1)</script>";

#[tokio::test]
async fn markup_typed_by_users_is_shown_as_text_on_every_page() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let lead = world.app_as(Who::LeadA);
        let map = world.map(Target::A);
        let work = map.work_page();
        let hostile_file = "<img src=x onerror=alert(1)>.pdf";

        let steps = [
            post_form(
                &format!("/road-maps/{}/sections/0/activities/0", map.id),
                &[("number", "1"), ("title", HOSTILE), ("output", HOSTILE)],
            ),
            post_form(
                &format!("{work}/comments"),
                &[("occurrence", ""), ("body", HOSTILE)],
            ),
            evidence_upload(&format!("{work}/evidence"), hostile_file, PDF),
            post_form(
                &format!("/road-maps/{}/activities/{}/status", map.id, map.review),
                &[("occurrence", ""), ("status", "in_progress")],
            ),
        ];
        for request in steps {
            let answer = send(&lead, request).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());
        }
        // A comment with the status change, by the reviewer side.
        let regional = world.app_as(Who::Regional);
        world
            .store
            .set_status(&map.review_key(), "in_progress", "done", None)
            .await
            .expect("mark done");
        let answer = send(
            &regional,
            post_form(
                &format!("/road-maps/{}/activities/{}/status", map.id, map.review),
                &[
                    ("occurrence", ""),
                    ("status", "returned"),
                    ("comment", HOSTILE),
                ],
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());

        let pages = [
            map.page(),
            format!("/road-maps/{}/execution", map.id),
            work.clone(),
            format!("/road-maps/{}/activities/{}", map.id, map.review),
            format!("/road-maps/{}/sections/0/activities/0/edit", map.id),
        ];
        for app in [&lead, &regional] {
            for uri in &pages {
                let answer = send(app, get(uri)).await;
                assert_eq!(answer.status, StatusCode::OK, "{uri}");
                let html = answer.html();
                assert_eq!(count(&html, "script"), 0, "{uri}: a script element");
                assert_eq!(count(&html, "main img"), 0, "{uri}: an img element");
                assert_eq!(count(&html, "[onerror]"), 0, "{uri}: an event handler");
                let visible = first_text(&html, "main");
                let in_field = html
                    .select(&selector("main input, main textarea"))
                    .any(|el| {
                        el.value().attr("value") == Some(HOSTILE)
                            || el.text().collect::<String>() == HOSTILE
                    });
                assert!(
                    visible.contains(HOSTILE) || in_field,
                    "{uri}: the typed text is shown as text: {visible}"
                );
            }
        }
        let activity = send(&lead, get(&work)).await.html();
        let main = first_text(&activity, "main");
        assert!(
            main.contains(hostile_file),
            "the file name is shown: {main}"
        );
        assert!(
            activity
                .select(&selector(".comment-body"))
                .any(|c| c.text().collect::<String>() == HOSTILE),
            "the comment is shown as typed"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Signing in, sessions

/// Opens the sign-in form and posts it with the double-submit token: the status and the answer.
/// `planted` is a session cookie the browser already carries.
async fn sign_in(
    app: &axum::Router,
    login: &str,
    password: &str,
    planted: Option<&str>,
) -> (StatusCode, Answer) {
    sign_in_to(app, login, password, planted, "/").await
}

/// [`sign_in`] with the page to return to.
async fn sign_in_to(
    app: &axum::Router,
    login: &str,
    password: &str,
    planted: Option<&str>,
    next: &str,
) -> (StatusCode, Answer) {
    let form = send(app, get("/login?next=%2Fregions")).await;
    assert_eq!(form.status, StatusCode::OK, "the sign-in form opens");
    let cookie = form
        .set_cookie("orientir_login_csrf")
        .expect("the sign-in form sets its CSRF cookie");
    let field = input_value(&form.html(), "#login-form", "csrf");
    assert_eq!(cookie, field, "the double-submit cookie matches the form");
    let mut cookies = format!("orientir_login_csrf={cookie}");
    if let Some(planted) = planted {
        cookies = format!("orientir_session={planted}; {cookies}");
    }
    let request = with_header(
        post_form(
            "/login",
            &[
                ("csrf", field.as_str()),
                ("next", next),
                ("login", login),
                ("password", password),
            ],
        ),
        "cookie",
        &cookies,
    );
    let answer = send(app, request).await;
    (answer.status, answer)
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_worthless() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let card = format!("/schools/{}", world.a);

        let (status, answer) = sign_in(&app, "lead-a", PASSWORD, Some("attacker")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", answer.message());
        assert_eq!(answer.location(), "/");
        let issued = answer
            .set_cookie("orientir_session")
            .expect("a session cookie is set");
        assert_ne!(issued, "attacker");
        assert_eq!(issued.len(), 64, "a fresh random token");
        let set_cookie = answer
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("orientir_session="))
            .expect("the session cookie")
            .to_owned();
        assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
        assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");

        let planted = send(
            &app,
            with_header(get(&card), "cookie", "orientir_session=attacker"),
        )
        .await;
        assert_eq!(
            planted.status,
            StatusCode::SEE_OTHER,
            "the planted id is not signed in"
        );
        assert_eq!(planted.location(), login_redirect(&card));
        assert!(
            world
                .store
                .session(&sha256_hex(b"attacker"))
                .await
                .expect("session lookup")
                .is_none()
        );

        let real = send(
            &app,
            with_header(get(&card), "cookie", &format!("orientir_session={issued}")),
        )
        .await;
        assert_eq!(real.status, StatusCode::OK, "the issued session works");

        // A forged sign-in form (no double-submit cookie) signs nobody in.
        let forged = send(
            &app,
            post_form(
                "/login",
                &[("csrf", "x"), ("login", "lead-a"), ("password", PASSWORD)],
            ),
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(forged.set_cookie("orientir_session").is_none());
    }
}

#[tokio::test]
async fn signing_in_returns_only_to_a_page_of_this_site() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        let card = format!("/schools/{}", world.a);
        let (status, answer) = sign_in_to(&app, "lead-a", PASSWORD, None, &card).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", answer.message());
        assert_eq!(answer.location(), card);
        for away in [
            "//evil.example/login",
            "https://evil.example/",
            "/\\evil.example/",
            "javascript:alert(1)",
        ] {
            let (status, answer) = sign_in_to(&app, "lead-a", PASSWORD, None, away).await;
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "{away}: {}",
                answer.message()
            );
            assert_eq!(answer.location(), "/", "{away}");
        }
    }
}

#[tokio::test]
async fn the_sixth_attempt_within_a_minute_is_throttled_even_with_the_right_password() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let app = world.anonymous();
        for attempt in 1..=5 {
            let (status, answer) = sign_in(&app, "lead-a", "неверный пароль", None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
            assert!(answer.text().contains("Неверный логин или пароль"));
        }
        let (status, answer) = sign_in(&app, "lead-a", PASSWORD, None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            answer.text().contains("Слишком много неудачных попыток"),
            "{}",
            answer.message()
        );
        assert!(
            answer.set_cookie("orientir_session").is_none(),
            "no session for a throttled sign-in"
        );
        // Someone else signs in as usual.
        let (status, answer) = sign_in(&app, "lead-b", PASSWORD, None).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", answer.message());
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let lead = world.user(Who::LeadA);
        let app = world.app_as(Who::LeadA);
        let card = format!("/schools/{}", world.a);
        assert_eq!(send(&app, get(&card)).await.status, StatusCode::OK);

        let answer = send(&app, post_form("/logout", &[])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.location(), "/login");
        assert_eq!(answer.set_cookie("orientir_session").as_deref(), Some(""));

        // The old cookie, sent again as is, no longer signs anyone in.
        let again = send(&app, get(&card)).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(again.location(), login_redirect(&card));
        let token = lead
            .cookie
            .strip_prefix("orientir_session=")
            .expect("a session cookie");
        assert!(
            world
                .store
                .session(&sha256_hex(token.as_bytes()))
                .await
                .expect("session lookup")
                .is_none()
        );
        let map = world.map(Target::A);
        let before = snapshot(&world.store, map).await;
        let post = send(
            &app,
            post_form(
                &format!("{}/comments", map.work_page()),
                &[("occurrence", ""), ("body", "После выхода")],
            ),
        )
        .await;
        assert_eq!(post.status, StatusCode::SEE_OTHER);
        assert!(post.location().starts_with("/login?next="));
        assert_eq!(snapshot(&world.store, map).await, before);
    }
}

#[tokio::test]
async fn changing_the_password_ends_the_users_other_sessions() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let lead = world.user(Who::LeadA);
        let other = testing::session(&world.store, lead.id, &lead.login)
            .await
            .expect("a second session");
        let here = world.app_as(Who::LeadA);
        let elsewhere = testing::as_user(world.anonymous(), &other);
        let card = format!("/schools/{}", world.a);
        assert_eq!(send(&elsewhere, get(&card)).await.status, StatusCode::OK);

        let new_password = "новый-пароль-2025";
        let answer = send(
            &here,
            post_form(
                "/account/password",
                &[
                    ("current", PASSWORD),
                    ("new", new_password),
                    ("repeat", new_password),
                ],
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.message());
        assert_eq!(
            first_text(&answer.html(), "#password-changed"),
            "Пароль изменён. Другие ваши сеансы завершены."
        );

        let ended = send(&elsewhere, get(&card)).await;
        assert_eq!(
            ended.status,
            StatusCode::SEE_OTHER,
            "the other session ended"
        );
        assert_eq!(ended.location(), login_redirect(&card));
        assert_eq!(
            send(&here, get(&card)).await.status,
            StatusCode::OK,
            "this session stays"
        );

        let app = world.anonymous();
        let (status, _) = sign_in(&app, "lead-a", PASSWORD, None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "the old password is refused"
        );
        let (status, _) = sign_in(&app, "lead-a", new_password, None).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the new password signs in");
    }
}

// ---------------------------------------------------------------------------------------------
// Evidence files

#[tokio::test]
async fn an_evidence_file_comes_back_intact_only_to_those_who_may_read_it() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let map = world.map(Target::A);
        let work = map.work_page();
        let name = "Протокол заседания №3.pdf";
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.extend(0..=255u8);
        bytes.extend_from_slice(b"\r\n--not-a-boundary--\r\n%%EOF\n");

        let lead = world.app_as(Who::LeadA);
        let answer = send(
            &lead,
            evidence_upload(&format!("{work}/evidence"), name, &bytes),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.message());
        assert_eq!(answer.location(), work);

        let stored = world
            .store
            .evidence_of(map.id)
            .await
            .expect("evidence")
            .into_iter()
            .find(|e| e.file_name.as_deref() == Some(name))
            .expect("the file is listed under its own name");
        assert_eq!(stored.sha256.as_deref(), Some(sha256_hex(&bytes).as_str()));
        assert_eq!(stored.size_bytes, Some(bytes.len() as i64));
        assert_eq!(stored.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(stored.uploaded_by.as_deref(), Some("lead-a"));

        // The activity page links it.
        let href = format!("/evidence/{}", stored.id);
        let page = send(&lead, get(&work)).await.html();
        assert!(
            page.select(&selector(&format!("a[href=\"{href}\"]")))
                .any(|a| a.text().collect::<String>() == name),
            "the activity page links the file by its name"
        );
        // Its «История» shows the SHA-256 the file was stored with.
        let history = first_text(&page, "#history");
        assert!(
            history.contains(&sha256_hex(&bytes)),
            "the history shows the file's SHA-256: {history}"
        );

        // The curator of the school downloads exactly the uploaded bytes.
        let download = send(&world.app_as(Who::Curator), get(&href)).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body, bytes);
        assert_eq!(sha256_hex(&download.body), sha256_hex(&bytes));
        assert_eq!(download.header(header::CONTENT_TYPE), "application/pdf");
        assert_eq!(download.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        let disposition = download.header(header::CONTENT_DISPOSITION);
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition
                .contains("filename*=UTF-8''%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB"),
            "{disposition}"
        );

        // Another school's lead is refused; a visitor is sent to sign in.
        let refused = send(&world.app_as(Who::LeadB), get(&href)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.message().contains("Недостаточно прав:"));
        assert!(!refused.body.windows(9).any(|w| w == b"%PDF-1.7\n"));
        let anonymous = send(&world.anonymous(), get(&href)).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(anonymous.location(), login_redirect(&href));
        assert!(anonymous.body.is_empty());
    }
}

#[tokio::test]
async fn a_file_name_that_is_a_path_is_refused_and_nothing_is_stored() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let map = world.map(Target::A);
        let uri = format!("{}/evidence", map.work_page());
        let lead = world.app_as(Who::LeadA);
        let before = snapshot(&world.store, map).await;
        for name in [
            "../../etc/passwd.pdf",
            "..\\x.pdf",
            "/etc/passwd.pdf",
            "C:\\x.pdf",
        ] {
            let answer = send(&lead, evidence_upload(&uri, name, PDF)).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{name}");
            let message = answer.message();
            assert!(
                message.contains("Недопустимое имя файла"),
                "{name}: «{message}»"
            );
        }
        assert_eq!(
            snapshot(&world.store, map).await,
            before,
            "a refused file was stored on {}",
            world.store.backend()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The start page

#[tokio::test]
async fn the_start_page_sends_every_user_to_a_page_they_may_open() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let mut failures = Vec::new();
        for who in Who::ALL {
            let app = world.app_as(who);
            let mut uri = "/".to_owned();
            let mut answer = send(&app, get(&uri)).await;
            for _ in 0..3 {
                if answer.status != StatusCode::SEE_OTHER {
                    break;
                }
                uri = answer.location().to_owned();
                answer = send(&app, get(&uri)).await;
            }
            if answer.status != StatusCode::OK {
                failures.push(format!(
                    "{} lands on {uri}: {} «{}»",
                    who.login(),
                    answer.status,
                    answer.message()
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "on {}:\n{}",
            world.store.backend(),
            failures.join("\n")
        );
    }
}
