//! Body limits as the pages promise them (evidence up to 10 MB, road maps up to 20 MB), also for
//! a browser without JavaScript, whose form carries the CSRF token in the body: the CSRF check
//! used to parse such forms under axum's 2 MiB default and answer «Форма устарела» (403).
//! Anything larger gets 413 with a Russian message naming the limit.

use axum::http::{StatusCode, header};
use orientir_store::testing::TestDb;

use crate::common::request::{self, Part};
use crate::common::send;
use crate::support::{World, pdf};

#[tokio::test]
async fn evidence_of_two_to_ten_megabytes_is_accepted_from_a_plain_form() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    for size in [2_200_000, 9_000_000] {
        let bytes = pdf(size);
        let answer = send(
            &world.app,
            world.form_post(
                &world.evidence_uri(),
                &[Part::File {
                    field: "file",
                    file_name: "протокол.pdf",
                    content_type: "application/pdf",
                    bytes: &bytes,
                }],
            ),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{size} bytes: {}",
            answer.message()
        );
    }
    let stored: Vec<i64> = db
        .store
        .evidence_of(world.map.id)
        .await
        .expect("evidence")
        .iter()
        .filter_map(|e| e.size_bytes)
        .collect();
    assert_eq!(stored, [2_200_000, 9_000_000]);
}

#[tokio::test]
async fn evidence_over_ten_megabytes_gets_413_naming_the_limit() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    let bytes = pdf(11 * 1024 * 1024);
    let answer = send(
        &world.app,
        world.form_post(
            &world.evidence_uri(),
            &[Part::File {
                field: "file",
                file_name: "скан.pdf",
                content_type: "application/pdf",
                bytes: &bytes,
            }],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let message = answer.message();
    assert!(
        message.contains("файл подтверждающего документа — не больше 10 МБ"),
        "{message}"
    );
    assert!(
        db.store
            .evidence_of(world.map.id)
            .await
            .expect("evidence")
            .is_empty()
    );
}

/// A text road map of about `bytes` bytes: a real table, then ordinary paragraphs.
fn big_road_map(bytes: usize) -> Vec<u8> {
    let mut text = String::from(
        "Дорожная карта школы на 2024-2025 учебный год\n\
         №\tМероприятия\tСроки\tОтветственные\n\
         1\tПедагогический совет\tСентябрь 2024 г.\tДиректор\n\n",
    );
    let line = "Пояснительная записка к дорожной карте, абзац для объёма.\n\n";
    while text.len() < bytes {
        text.push_str(line);
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_road_map_over_two_megabytes_previews_and_one_over_twenty_is_refused() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    let owner = format!("school:{}", crate::support::SCHOOL);
    let upload = |bytes: Vec<u8>| {
        let owner = owner.clone();
        let world = &world;
        async move {
            send(
                &world.app,
                world.form_post(
                    "/road-maps/preview",
                    &[
                        Part::Text("owner", &owner),
                        Part::File {
                            field: "file",
                            file_name: "дорожная-карта.txt",
                            content_type: "text/plain",
                            bytes: &bytes,
                        },
                    ],
                ),
            )
            .await
        }
    };
    let answer = upload(big_road_map(3 * 1024 * 1024)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.message());
    assert!(answer.text().contains("Педагогический совет"));

    let answer = upload(big_road_map(21 * 1024 * 1024)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        answer
            .message()
            .contains("файл дорожной карты — не больше 20 МБ"),
        "{}",
        answer.message()
    );
}

#[tokio::test]
async fn an_ordinary_form_over_a_megabyte_is_refused_before_it_is_read() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    let uri = format!(
        "/road-maps/{}/activities/{}/comments",
        world.map.id, world.map.keys[0]
    );
    let body = format!(
        "csrf={}&body={}",
        world.lead.csrf,
        "а".repeat(2 * 1024 * 1024)
    );
    let request = request::with_header(
        request::post(&uri, crate::common::FORM, body),
        header::COOKIE.as_str(),
        &world.lead.cookie,
    );
    let answer = send(&world.app, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        answer.message().contains("форма — не больше 1 МБ"),
        "{}",
        answer.message()
    );
    assert!(
        db.store
            .comments_of(world.map.id)
            .await
            .expect("comments")
            .is_empty()
    );
}

#[tokio::test]
async fn a_deeply_nested_upload_is_refused_with_a_message_and_the_server_answers_on() {
    let db = TestDb::sqlite().await;
    let world = World::build(&db.store).await;
    let mut html = "<div>".repeat(5_000);
    html.push_str("<h2>Дорожная карта</h2><table><tr><td>Мероприятия</td></tr></table>");
    html.push_str(&"</div>".repeat(5_000));
    let owner = format!("school:{}", crate::support::SCHOOL);
    let answer = send(
        &world.app,
        world.form_post(
            "/road-maps/preview",
            &[
                Part::Text("owner", &owner),
                Part::File {
                    field: "file",
                    file_name: "карта.html",
                    content_type: "text/html",
                    bytes: html.as_bytes(),
                },
            ],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.text().contains("глубже 256 уровней"),
        "the form comes back with the reason"
    );
    let health = send(&world.app, request::get("/healthz")).await;
    assert_eq!(health.status, StatusCode::OK);
}
