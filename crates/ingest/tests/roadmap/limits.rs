//! Hostile documents: nesting that used to overflow the stack (and kill the server with it),
//! nesting that made the HTML parser run for minutes, spans that multiply text, and sizes far
//! beyond any road map. Each is refused quickly with the limit named; a document just inside the
//! limits still reads, on a thread with a small stack.

use std::time::{Duration, Instant};

use orientir_ingest::roadmap::{ImportError, Limits, import_bytes, import_bytes_within};

use crate::common::SMALL_TEXT;

/// A road map table wrapped in `depth` elements of `open`/`close`.
fn nested(open: &str, close: &str, depth: usize) -> String {
    let mut html = String::with_capacity((open.len() + close.len()) * depth + 512);
    for _ in 0..depth {
        html.push_str(open);
    }
    html.push_str(
        "<h2>Дорожная карта школы</h2><table><tr><th>№</th><th>Мероприятия</th><th>Сроки</th></tr>\
         <tr><td>1</td><td>Педсовет</td><td>Сентябрь 2024 г.</td></tr></table>",
    );
    for _ in 0..depth {
        html.push_str(close);
    }
    html
}

/// Runs `f` on a thread with a 256 KiB stack (tokio's blocking threads have 2 MiB; a recursive
/// walk of a 5 000-deep tree needs far more) and times it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> (T, Duration) {
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let started = Instant::now();
            let out = f();
            (out, started.elapsed())
        })
        .expect("a thread");
    handle.join().expect("no panic, no stack overflow")
}

fn assert_too_deep(result: Result<impl std::fmt::Debug, ImportError>) {
    match result {
        Err(ImportError::TooDeep { max, line }) => {
            assert_eq!(max, Limits::default().max_depth);
            assert!(line >= 1);
        }
        other => panic!("expected TooDeep, got {other:?}"),
    }
}

#[test]
fn five_thousand_nested_divs_are_refused_not_a_stack_overflow() {
    let html = nested("<div>", "</div>", 5_000);
    assert!(html.len() < 60 * 1024, "the 55 KB file of the report");
    let (result, took) = on_small_stack(move || import_bytes(html.as_bytes(), Some("html")));
    assert_too_deep(result);
    assert!(took < Duration::from_secs(2), "refused in {took:?}");
}

#[test]
fn a_hundred_thousand_nested_table_cells_are_refused() {
    let html = nested("<table><tr><td>", "</td></tr></table>", 100_000);
    let (result, took) = on_small_stack(move || import_bytes(html.as_bytes(), Some("html")));
    assert_too_deep(result);
    assert!(took < Duration::from_secs(2), "refused in {took:?}");
}

#[test]
fn a_million_nested_divs_are_refused_in_seconds_not_minutes() {
    let html = nested("<div>", "</div>", 1_000_000);
    let (result, took) = on_small_stack(move || import_bytes(html.as_bytes(), Some("html")));
    // 11 MB: within the size limit, so it is the depth that refuses it, early.
    assert_too_deep(result);
    assert!(took < Duration::from_secs(2), "refused in {took:?}");
}

#[test]
fn the_message_names_the_limit_in_russian() {
    let html = nested("<div>", "</div>", 1_000);
    let err = import_bytes(html.as_bytes(), Some("html")).expect_err("too deep");
    let message = err.to_string();
    assert!(
        message.contains("глубже 256 уровней") && message.contains("строка"),
        "{message}"
    );
}

#[test]
fn a_document_nested_just_inside_the_limit_still_reads_on_a_small_stack() {
    // html, body and the h2/table inside count too.
    let html = nested("<div>", "</div>", Limits::default().max_depth - 8);
    let (result, _) = on_small_stack(move || import_bytes(html.as_bytes(), Some("html")));
    let (map, _) = result.expect("a deep but legal document reads");
    assert_eq!(map.activities().count(), 1);
    assert_eq!(map.title, "Дорожная карта школы");
}

#[test]
fn text_multiplied_by_rowspan_is_refused() {
    // One megabyte of text spanning a thousand rows, a hundred columns wide: 100 GB of copies.
    let big = "а".repeat(512 * 1024);
    let mut html = format!(
        "<table><tr><th>№</th><th>Мероприятия</th></tr>\
         <tr><td>1</td><td rowspan=1000 colspan=100>{big}</td></tr>"
    );
    for i in 2..1000 {
        html.push_str(&format!("<tr><td>{i}</td></tr>"));
    }
    html.push_str("</table>");
    let started = Instant::now();
    let err = import_bytes(html.as_bytes(), Some("html")).expect_err("too much text");
    assert!(
        matches!(err, ImportError::TooMuchText { .. }),
        "expected TooMuchText, got {err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn more_rows_than_any_road_map_are_refused_in_every_format() {
    let limits = Limits {
        max_rows: 1_000,
        ..Limits::default()
    };
    let mut text = String::from("Дорожная карта\n№\tМероприятия\tСроки\n");
    let mut html =
        String::from("<h2>Дорожная карта</h2><table><tr><th>№</th><th>Мероприятия</th></tr>");
    for i in 1..=1_500 {
        text.push_str(&format!("{i}\tМероприятие {i}\tСентябрь\n"));
        html.push_str(&format!("<tr><td>{i}</td><td>Мероприятие {i}</td></tr>"));
    }
    html.push_str("</table>");
    for (bytes, extension) in [(text.as_bytes(), "txt"), (html.as_bytes(), "html")] {
        let err = import_bytes_within(bytes, Some(extension), limits).expect_err("too many rows");
        assert_eq!(err, ImportError::TooManyRows { max: 1_000 }, "{extension}");
        assert!(err.to_string().contains("больше 1000 строк"), "{err}");
    }
}

#[test]
fn more_activities_than_the_limit_are_refused() {
    let limits = Limits {
        max_activities: 2,
        ..Limits::default()
    };
    let err = import_bytes_within(SMALL_TEXT.as_bytes(), Some("txt"), limits)
        .expect_err("three activities, two allowed");
    assert_eq!(err, ImportError::TooManyActivities { count: 3, max: 2 });
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let limits = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    let big = format!("{SMALL_TEXT}{}", " ".repeat(2048));
    let err = import_bytes_within(big.as_bytes(), Some("txt"), limits).expect_err("too large");
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("не больше 1 МБ"), "{message}");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("huge.html");
    // Sparse: 30 MB declared, nothing written; the default limit is 20 MB.
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(30 * 1024 * 1024))
        .expect("a sparse file");
    let err = orientir_ingest::roadmap::import_path(&path).expect_err("refused by size");
    let message = err.to_string();
    assert!(
        message.contains("huge.html") && message.contains("не больше 20 МБ"),
        "{message}"
    );
}

#[test]
fn the_time_budget_stops_a_slow_document() {
    let limits = Limits {
        max_time: Duration::ZERO,
        ..Limits::default()
    };
    let html = nested("<div>", "</div>", 100);
    let err = import_bytes_within(html.as_bytes(), Some("html"), limits).expect_err("no time");
    assert_eq!(err, ImportError::TooSlow { seconds: 0 });
}
