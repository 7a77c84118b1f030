//! Aggregated results files (CSV and XLSX).

use std::collections::HashSet;

use orientir_ingest::results::{AggregatedOptions, Procedure, ResultsError, read_aggregated};

const HEADER: &str =
    "school_id,year,procedure,subject,grade,participants,failed,mark2,mark3,mark4,mark5,mean_score";

fn write(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    (dir, path)
}

fn problems(
    result: Result<orientir_ingest::results::AggregatedFile, ResultsError>,
) -> Vec<(u64, String)> {
    match result {
        Err(ResultsError::Rejected { problems, .. }) => {
            problems.into_iter().map(|p| (p.line, p.message)).collect()
        }
        other => panic!("expected rejection: {other:?}"),
    }
}

#[test]
fn csv_cells_are_read_and_sorted() {
    let text = format!(
        "\u{feff}{}\r\nS2;2024;OGE;ru;9;20;3;3;10;5;2;\"15,5\"\r\n\r\nS1;2024;VPR;math;4;10;2;;;;;\r\n",
        HEADER.replace(',', ";")
    );
    let (_d, path) = write("agg.csv", text.as_bytes());
    let file = read_aggregated(&path, &AggregatedOptions::default()).expect("valid");
    assert_eq!(file.rows, 2);
    assert_eq!(file.cells[0].school_id, "S1");
    assert_eq!(file.cells[0].score_sum, None);
    let c = &file.cells[1];
    assert_eq!(
        (c.procedure, c.participants, c.failed, c.mark2, c.mark5),
        (Procedure::Oge, 20, 3, 3, 2)
    );
    assert_eq!(c.score_sum, Some(310.0));
    assert_eq!(c.score_min, None);
}

#[test]
fn csv_problems_have_lines() {
    let text = format!(
        "{HEADER}\nS1,2024,VPR,ru,4,10,11,,,,,\nS1,2024,VPR,ru,5,10,-1,,,,,\nS1,2024,VPR,ru,6,10,2,5,5,1,0,\nS1,2024,VPR,ru,7,x,2,,,,,\nS1,2024,VPR,ru,4,10,1,,,,,\nS1,2024,XXX,ru,4,10,1,,,,,\nS1,2024,VPR,ru,4\n"
    );
    let (_d, path) = write("agg.csv", text.as_bytes());
    let p = problems(read_aggregated(&path, &AggregatedOptions::default()));
    let lines: Vec<u64> = p.iter().map(|x| x.0).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 7, 8]);
    assert!(p[0].1.contains("больше, чем участников"));
    assert!(p[1].1.contains("отрицательное"));
    assert!(p[2].1.contains("сумма отметок (11)"));
    assert!(p[3].1.contains("participants"));
    assert!(p[4].1.contains("неизвестная процедура"));
    assert!(p[5].1.contains("неверное число полей"));

    // A repeated cell.
    let text = format!("{HEADER}\nS1,2024,VPR,ru,4,10,1,,,,,\nS1,2024,VPR,ru,4,10,1,,,,,\n");
    let (_d, path) = write("agg.csv", text.as_bytes());
    let p = problems(read_aggregated(&path, &AggregatedOptions::default()));
    assert_eq!(p[0].0, 3);
    assert!(p[0].1.contains("первый раз — строка 2"));
}

#[test]
fn csv_skip_and_directory() {
    let text = "school_id,year,procedure,subject,grade,participants,failed\nS1,2024,VPR,ru,4,10,1\nS9,2024,VPR,ru,4,10,1\n";
    let (_d, path) = write("agg.csv", text.as_bytes());
    let opts = AggregatedOptions {
        known_schools: Some(HashSet::from(["S1".to_owned()])),
        skip_bad_rows: true,
    };
    let file = read_aggregated(&path, &opts).expect("skipped");
    assert_eq!(file.cells.len(), 1);
    assert_eq!(file.skipped_total, 1);
    assert_eq!(file.skipped[0].line, 3);
    assert!(file.skipped[0].message.contains("S9"));

    let (_d, path) = write("agg.csv", b"school_id,year,procedure\nS1,2024,VPR\n");
    assert!(matches!(
        read_aggregated(&path, &AggregatedOptions::default()),
        Err(ResultsError::MissingColumns { .. })
    ));
}

#[test]
fn xlsx_cells_and_row_numbers() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header: Vec<&str> = HEADER.split(',').collect();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    // Row 2 (index 1): valid with numbers; row 3: empty; row 4: failed > participants.
    let rows: [(&str, f64, &str, &str, f64, f64, f64); 2] = [
        ("S1", 2024.0, "EGE", "ru", 11.0, 12.0, 2.0),
        ("S2", 2023.0, "VPR", "math", 4.0, 5.0, 6.0),
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = if i == 0 { 1 } else { 3 };
        sheet.write_string(row, 0, r.0).expect("cell");
        sheet.write_number(row, 1, r.1).expect("cell");
        sheet.write_string(row, 2, r.2).expect("cell");
        sheet.write_string(row, 3, r.3).expect("cell");
        sheet.write_number(row, 4, r.4).expect("cell");
        sheet.write_number(row, 5, r.5).expect("cell");
        sheet.write_number(row, 6, r.6).expect("cell");
    }
    sheet.write_number(1, 11, 61.5).expect("cell");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("agg.xlsx");
    book.save(&path).expect("save");

    let p = problems(read_aggregated(&path, &AggregatedOptions::default()));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, 4);
    assert!(p[0].1.contains("больше, чем участников"), "{}", p[0].1);

    let opts = AggregatedOptions {
        skip_bad_rows: true,
        ..AggregatedOptions::default()
    };
    let file = read_aggregated(&path, &opts).expect("skipped");
    assert_eq!(file.cells.len(), 1);
    let c = &file.cells[0];
    assert_eq!(
        (
            c.school_id.as_str(),
            c.year,
            c.procedure,
            c.grade,
            c.participants,
            c.failed
        ),
        ("S1", 2024, Procedure::Ege, 11, 12, 2)
    );
    assert_eq!(c.score_sum, Some(61.5 * 12.0));
}
