//! Table tests: every problem kind with its exact line number.

use std::collections::HashSet;

use crate::common::{HEADER, opts, rejected, run};
use orientir_ingest::results::{ResultsError, ResultsOptions};

const GOOD: &str = "2024,VPR,ru,4,S1,P1,12,3";

/// (bad row, expected fragment of the message).
const CASES: &[(&str, &str)] = &[
    ("2024,VPR,ru,4,S1,P9,12", "неверное число полей: 7 вместо 8"),
    (
        "2024,VPR,ru,4,S1,P9,12,3,x",
        "неверное число полей: 9 вместо 8",
    ),
    ("2024,VPR,ru,4,S1,P9,abc,3", "балл «abc» — не число"),
    ("2024,VPR,ru,4,S1,P9,-3,3", "отрицательный балл «-3»"),
    ("2024,VPR,ru,4,S1,P9,,3", "не указан балл"),
    ("2024,VPR,ru,4,S1,P9,12,x", "отметка «x» — не число"),
    ("2024,VPR,ru,4,S1,P9,12,6", "отметка 6 вне диапазона 2–5"),
    ("2024,VPR,ru,4,S1,P9,12,1", "отметка 1 вне диапазона 2–5"),
    ("2024,OGE,ru,9,S1,P9,12,", "не указана отметка"),
    ("2024,EGE,ru,11,S1,P9,70,5", "для ЕГЭ отметка не ставится"),
    (
        "2024,EGE,ru,11,S1,P9,101,",
        "балл ЕГЭ 101 вне диапазона 0–100",
    ),
    ("2024,VPR,ru,3,S1,P9,12,3", "класс 3 вне диапазона 4–11"),
    ("2024,VPR,ru,12,S1,P9,12,3", "класс 12 вне диапазона 4–11"),
    (
        "2024,VPR,ru,четвёртый,S1,P9,12,3",
        "класс «четвёртый» — не число",
    ),
    (
        "24,VPR,ru,4,S1,P9,12,3",
        "год «24» — не четырёхзначное число",
    ),
    ("20245,VPR,ru,4,S1,P9,12,3", "год «20245»"),
    ("2024,GIA,ru,4,S1,P9,12,3", "неизвестная процедура «GIA»"),
    ("2024,VPR,,4,S1,P9,12,3", "не указан предмет"),
    ("2024,VPR,ru,4,,P9,12,3", "не указан код школы"),
    ("2024,VPR,ru,4,S1,,12,3", "не указан код обучающегося"),
    ("2024,VPR,ru,4,\"S1,P9,12,3", "незакрытая кавычка"),
];

#[test]
fn each_problem_kind_is_reported_with_its_line() {
    for (bad, fragment) in CASES {
        // Line 1 header, 2 good, 3 blank, 4 bad, 5 good.
        let text = format!("{HEADER}\n{GOOD}\n\n{bad}\n2024,VPR,math,4,S1,P1,10,3\n");
        let (problems, total) = rejected(&text, &opts());
        assert_eq!(total, 1, "{bad}: {problems:?}");
        assert_eq!(problems[0].0, 4, "{bad}");
        assert!(problems[0].1.contains(fragment), "{bad}: {}", problems[0].1);
    }
}

#[test]
fn unknown_school_is_a_problem_only_with_a_directory() {
    let text = format!("{HEADER}\n{GOOD}\n2024,VPR,ru,4,S2,P2,12,3\n");
    assert!(run(&text, &opts()).is_ok());
    let with_dir = ResultsOptions {
        known_schools: Some(HashSet::from(["S1".to_owned()])),
        ..opts()
    };
    let (problems, total) = rejected(&text, &with_dir);
    assert_eq!(total, 1);
    assert_eq!(problems[0].0, 3);
    assert!(
        problems[0]
            .1
            .contains("школа «S2» отсутствует в справочнике")
    );
}

#[test]
fn line_numbers_survive_bom_crlf_blank_lines_and_repeated_headers() {
    let semi_header = HEADER.replace(',', ";");
    let text = format!(
        "\u{feff}\r\n{semi_header}\r\n2024;VPR;ru;4;S1;P1;12,5;3\r\n\r\n;;;;;;;\r\n{semi_header}\r\n2024;VPR;ru;4;S1;P2;x;3\r\n\u{feff}{semi_header}\r\n2024;VPR;ru;4;S1;\"P;3\";1;7\r\n"
    );
    let (problems, total) = rejected(&text, &opts());
    assert_eq!(total, 2);
    assert_eq!(problems[0].0, 7);
    assert_eq!(problems[1].0, 9);
    assert!(problems[1].1.contains("отметка 7"));
}

#[test]
fn quoted_fields_with_separator_and_decimal_comma() {
    let text = format!(
        "{HEADER}\n2024,VPR,ru,4,\"S,1\",P1,\"12,5\",3\n2024,VPR,ru,4,\"S,1\",P2,\"7.5\",2\n"
    );
    let agg = run(&text, &opts()).expect("valid");
    assert_eq!(agg.cells.len(), 1);
    let c = &agg.cells[0];
    assert_eq!(c.school_id, "S,1");
    assert_eq!(c.participants, 2);
    assert_eq!(c.failed, 1);
    assert_eq!(c.score_sum, Some(20.0));
    assert_eq!((c.score_min, c.score_max), (Some(7.5), Some(12.5)));
}

#[test]
fn windows_1251_values_are_shown_decoded() {
    let mut bytes = format!("{HEADER}\n2024,VPR,ru,4,S1,P1,").into_bytes();
    bytes.extend_from_slice(b"\xef\xff\xf2\xfc,3\n"); // «пять» in Windows-1251
    let (_d, path) = crate::common::write_file(&bytes);
    match orientir_ingest::results::aggregate_file(&path, &opts()) {
        Err(ResultsError::Rejected { problems, .. }) => {
            assert!(
                problems[0].message.contains("«пять»"),
                "{}",
                problems[0].message
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn whole_import_rejected_by_default_and_skipped_rows_listed_on_request() {
    let text =
        format!("{HEADER}\n{GOOD}\nbad\n2024,VPR,ru,4,S1,P2,5,2\n2024,VPR,ru,13,S1,P3,5,2\n");
    let (problems, total) = rejected(&text, &opts());
    assert_eq!(total, 2);
    assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), vec![3, 5]);

    let skip = ResultsOptions {
        skip_bad_rows: true,
        ..opts()
    };
    let agg = run(&text, &skip).expect("skipped");
    assert_eq!(agg.rows, 4);
    assert_eq!(agg.skipped_total, 2);
    assert_eq!(
        agg.skipped.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![3, 5]
    );
    assert_eq!(agg.cells.len(), 1);
    assert_eq!((agg.cells[0].participants, agg.cells[0].failed), (2, 1));
}

#[test]
fn all_problems_are_counted_but_display_is_capped() {
    let mut text = format!("{HEADER}\n");
    for i in 0..1500 {
        text.push_str(&format!("2024,VPR,ru,4,S1,P{i},12,9\n"));
    }
    let small_blocks = ResultsOptions {
        block_size: 4096,
        ..opts()
    };
    let err = run(&text, &small_blocks).expect_err("rejected");
    let shown = err.to_string();
    match &err {
        ResultsError::Rejected {
            problems, total, ..
        } => {
            assert_eq!(*total, 1500);
            assert_eq!(problems.len(), 1000);
            assert_eq!(problems[999].line, 1001);
        }
        other => panic!("{other:?}"),
    }
    assert!(shown.contains("results.csv:2: отметка 9"), "{shown}");
    assert!(shown.contains("results.csv:101: "));
    assert!(!shown.contains("results.csv:102: "));
    assert!(shown.ends_with("… и ещё 1400"), "{shown}");
}

#[test]
fn file_level_errors() {
    let missing = std::path::Path::new("/nonexistent/results.csv");
    assert!(matches!(
        orientir_ingest::results::aggregate_file(missing, &opts()),
        Err(ResultsError::NotFound { .. })
    ));
    assert!(matches!(run("", &opts()), Err(ResultsError::Empty { .. })));
    assert!(matches!(
        run("\n\n", &opts()),
        Err(ResultsError::Empty { .. })
    ));
    assert!(matches!(
        run(&format!("{HEADER}\n\n"), &opts()),
        Err(ResultsError::Empty { .. })
    ));
    match run(
        "year,procedure,subject,grade,school,student_id,score\n2024\n",
        &opts(),
    ) {
        Err(e @ ResultsError::MissingColumns { .. }) => {
            let text = e.to_string();
            assert!(text.contains("school_id, mark"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn columns_in_another_order_and_extra_columns() {
    let text = "student_id;school_id;extra;mark;score;grade;subject;procedure;year\nP1;S1;x;2;3;5;Math;vpr;2023\n";
    let agg = run(text, &opts()).expect("valid");
    let c = &agg.cells[0];
    assert_eq!(
        (c.school_id.as_str(), c.subject.as_str(), c.grade, c.year),
        ("S1", "math", 5, 2023)
    );
    assert_eq!(c.failed, 1);
}

#[test]
fn overlong_line_is_reported_and_skipped() {
    let long = "x".repeat(1_200_000);
    let text = format!("{HEADER}\n{GOOD}\n{long}\n2024,VPR,ru,4,S1,P2,12,3\n");
    let (problems, total) = rejected(
        &text,
        &ResultsOptions {
            block_size: 1000,
            ..opts()
        },
    );
    assert_eq!(total, 1);
    assert_eq!(problems[0].0, 3);
    let skip = ResultsOptions {
        block_size: 1000,
        skip_bad_rows: true,
        ..opts()
    };
    assert_eq!(run(&text, &skip).expect("ok").cells[0].participants, 2);
}

#[test]
fn last_line_without_newline_and_cyrillic_procedure() {
    let text = format!("{HEADER}\n2024,ВПР,ru,4,S1,P1,12,3\n2024,VPR,ru,4,S1,P2,12,5");
    let agg = run(&text, &opts()).expect("valid");
    assert_eq!(agg.cells[0].participants, 2);
    assert_eq!(agg.cells[0].mark5, 1);
}
