//! Reading the schools registry as users' systems really write it, and rejecting bad files whole.

use std::path::{Path, PathBuf};

use orientir_domain::registry::{Locality, SchoolRecord};
use orientir_ingest::schools::read_schools;
use orientir_ingest::{IngestError, Problem};
use proptest::prelude::*;

const HEADER: &str = "school_id,name,region,municipality,locality,kind,students";

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

fn read_str(text: &str) -> Result<Vec<SchoolRecord>, IngestError> {
    let dir = tempfile::tempdir().expect("temp dir");
    read_schools(&write(&dir, "schools.csv", text.as_bytes()))
}

fn problems(result: Result<Vec<SchoolRecord>, IngestError>) -> Vec<Problem> {
    match result {
        Err(IngestError::Rejected { problems, .. }) => problems,
        other => panic!("expected the file to be rejected, got {other:?}"),
    }
}

#[test]
fn reads_a_plain_comma_separated_file() {
    let schools = read_str(&format!(
        "{HEADER}\n2401001,МБОУ «СОШ № 1»,Красноярский край,Енисейский район,село,СОШ,120\n"
    ))
    .expect("valid file");
    assert_eq!(schools.len(), 1);
    let s = &schools[0];
    assert_eq!(s.id.as_str(), "2401001");
    assert_eq!(s.name, "МБОУ «СОШ № 1»");
    assert_eq!(s.municipality, "Енисейский район");
    assert_eq!(s.locality, Locality::Village);
    assert_eq!(s.kind.as_str(), "СОШ");
    assert_eq!(s.students, 120);
    assert_eq!(s.social.low_income, None);
}

#[test]
fn reads_semicolons_bom_crlf_quotes_blank_lines_and_a_repeated_header() {
    let text = "\u{feff}school_id;name;region;municipality;locality;kind;students;low_income\r\n\
                \r\n\
                1;\"Школа; с точкой с запятой\";Область;Район;город;Лицей;800;0,12\r\n\
                school_id;name;region;municipality;locality;kind;students;low_income\r\n\
                2;НОШ № 2;Область;Район;Село;нош;15;\r\n";
    let schools = read_str(text).expect("valid file");
    assert_eq!(schools.len(), 2);
    assert_eq!(schools[0].name, "Школа; с точкой с запятой");
    assert_eq!(schools[0].social.low_income, Some(0.12));
    assert_eq!(
        schools[1].kind.as_str(),
        "НОШ",
        "known kinds are normalised"
    );
    assert_eq!(schools[1].locality, Locality::Village);
    assert_eq!(
        schools[1].social.low_income, None,
        "an empty share is unknown"
    );
}

#[test]
fn reads_windows_1251() {
    let text = format!("{HEADER}\n7,Ёлкинская ООШ,Область,Район,село,ООШ,40\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let dir = tempfile::tempdir().expect("temp dir");
    let schools = read_schools(&write(&dir, "cp1251.csv", &bytes)).expect("valid file");
    assert_eq!(schools[0].name, "Ёлкинская ООШ");
}

#[test]
fn reads_xlsx_with_the_same_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("schools.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "school_id",
        "name",
        "region",
        "municipality",
        "locality",
        "kind",
        "students",
        "disability",
    ];
    for (col, title) in header.iter().enumerate() {
        sheet
            .write_string(0, col as u16, *title)
            .expect("header cell");
    }
    // Codes and counts typed as numbers, as Excel users do.
    sheet.write_number(1, 0, 2_401_001.0).expect("cell");
    sheet
        .write_string(1, 1, "МКОУ «Сосновская СОШ»")
        .expect("cell");
    sheet.write_string(1, 2, "Область").expect("cell");
    sheet.write_string(1, 3, "Район").expect("cell");
    sheet.write_string(1, 4, "село").expect("cell");
    sheet.write_string(1, 5, "СОШ").expect("cell");
    sheet.write_number(1, 6, 230.0).expect("cell");
    sheet.write_number(1, 7, 0.05).expect("cell");
    book.save(&path).expect("save workbook");

    let schools = read_schools(&path).expect("valid workbook");
    assert_eq!(schools.len(), 1);
    assert_eq!(schools[0].id.as_str(), "2401001");
    assert_eq!(schools[0].students, 230);
    assert_eq!(schools[0].social.disability, Some(0.05));
}

#[test]
fn a_bad_xlsx_row_is_reported_with_its_sheet_row_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, title) in HEADER.split(',').enumerate() {
        sheet
            .write_string(0, col as u16, title)
            .expect("header cell");
    }
    for (col, value) in ["1", "Школа", "Область", "Район", "хутор", "СОШ", "10"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, col as u16, *value).expect("cell");
    }
    book.save(&path).expect("save workbook");
    let problems = problems(read_schools(&path));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3, "row 3 as Excel shows it");
    assert_eq!(problems[0].column.as_deref(), Some("locality"));
}

#[test]
fn a_missing_column_is_named() {
    let problems = problems(read_str(
        "school_id,name,region,municipality,kind,students\n1,Школа,Область,Район,СОШ,10\n",
    ));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 1);
    assert!(
        problems[0].message.contains("locality"),
        "{}",
        problems[0].message
    );
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_column() {
    let text = format!(
        "{HEADER}\n\
         1,Школа 1,Область,Район,село,СОШ,100\n\
         2,Школа 2,Область,Район,хутор,СОШ,100\n\
         3,Школа 3,Область,Район,город,СОШ,-5\n\
         1,Школа 1 снова,Область,Район,город,СОШ,100\n\
         4,Школа 4,Область,Район\n\
         5,,Область,Район,город,СОШ,много\n"
    );
    let problems = problems(read_str(&text));
    let summary: Vec<(u64, Option<&str>)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (3, Some("locality")),
            (4, Some("students")),
            (5, Some("school_id")),
            (6, None),
            (7, Some("name")),
            (7, Some("students")),
        ]
    );
    assert!(problems[0].message.contains("хутор"));
    assert!(
        problems[2].message.contains("строке 2"),
        "{}",
        problems[2].message
    );
    assert!(problems[3].message.contains("7"), "{}", problems[3].message);
}

#[test]
fn the_rejection_message_names_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        &dir,
        "bad.csv",
        format!("{HEADER}\n1,Школа,Область,Район,село,СОШ,-1\n").as_bytes(),
    );
    let message = read_schools(&path).expect_err("rejected").to_string();
    assert!(
        message.contains(&format!("{}:2: столбец students:", path.display())),
        "{message}"
    );
}

#[test]
fn a_missing_or_empty_file_is_a_clear_error() {
    let missing = read_schools(Path::new("/no/such/dir/schools.csv"));
    assert!(matches!(missing, Err(IngestError::NotFound(_))));
    assert!(matches!(read_str(""), Err(IngestError::Empty(_))));
    assert!(matches!(read_str("\n\r\n  \n"), Err(IngestError::Empty(_))));
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = write(&dir, "broken.xlsx", b"not a zip at all");
    assert!(matches!(
        read_schools(&garbage),
        Err(IngestError::Workbook { .. })
    ));
}

fn school_strategy() -> impl Strategy<Value = (String, String, bool, String, u32)> {
    (
        "[0-9]{1,8}",
        "[А-Яа-яЁё0-9][А-Яа-яЁё0-9 «»№.-]{0,29}",
        any::<bool>(),
        prop::sample::select(vec![
            "НОШ",
            "ООШ",
            "СОШ",
            "Гимназия",
            "Лицей",
            "Кадетский корпус",
        ])
        .prop_map(str::to_owned),
        0u32..5000,
    )
}

proptest! {
    /// Whatever separator, BOM and line ending a file uses, the same schools come back.
    #[test]
    fn any_valid_file_reads_back(
        rows in prop::collection::vec(school_strategy(), 1..20),
        delimiter in prop::sample::select(vec![',', ';', '\t']),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<_> = rows.into_iter().filter(|r| seen.insert(r.0.clone())).collect();
        let newline = if crlf { "\r\n" } else { "\n" };
        let d = delimiter.to_string();
        let mut text = String::new();
        if bom { text.push('\u{feff}'); }
        text.push_str(&HEADER.replace(',', &d));
        text.push_str(newline);
        for (id, name, city, kind, students) in &rows {
            let locality = if *city { "город" } else { "село" };
            let name = format!("\"{}\"", name.trim());
            let fields = [id.as_str(), &name, "Область", "Район", locality, kind, &students.to_string()];
            text.push_str(&fields.join(&d));
            text.push_str(newline);
        }
        let schools = read_str(&text);
        let schools = match schools {
            Ok(s) => s,
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        prop_assert_eq!(schools.len(), rows.len());
        for (school, (id, name, city, kind, students)) in schools.iter().zip(&rows) {
            prop_assert_eq!(school.id.as_str(), id.as_str());
            prop_assert_eq!(&school.name, name.trim());
            prop_assert_eq!(school.locality == Locality::City, *city);
            prop_assert_eq!(school.kind.as_str(), kind.as_str());
            prop_assert_eq!(school.students, *students);
        }
    }
}
