//! Bad input: every error, and warnings for what cannot be placed.

use crate::common::zip_archive;
use orientir_ingest::roadmap::{
    ImportError, import_bytes, import_docx, import_html, import_path, import_text,
};

const HEADER: &str = "№\tМероприятия\tСроки\tОтветственный\n";

#[test]
fn empty_input() {
    assert_eq!(import_text(""), Err(ImportError::Empty));
    assert_eq!(import_text(" \n\t\n"), Err(ImportError::Empty));
    assert_eq!(import_html(""), Err(ImportError::Empty));
    assert_eq!(import_docx(&[]), Err(ImportError::Empty));
    assert_eq!(import_bytes(b"  \r\n", None), Err(ImportError::Empty));
    assert_eq!(ImportError::Empty.to_string(), "файл пуст");
}

#[test]
fn binary_input() {
    assert_eq!(
        import_bytes(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3], None),
        Err(ImportError::NotADocument)
    );
    assert_eq!(
        import_text("\u{1}\u{2}\u{3}\u{4}x"),
        Err(ImportError::NotADocument)
    );
    assert_eq!(
        import_bytes(&[0xff, 0xfe, 0x01, 0x02, 0x80, 0x81], None),
        Err(ImportError::NotADocument)
    );
    assert_eq!(
        ImportError::NotADocument.to_string(),
        "файл не похож на текст, HTML или DOCX"
    );
}

#[test]
fn no_tables() {
    let xml = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Дорожная карта</w:t></w:r></w:p></w:body></w:document>"#;
    let bytes = zip_archive(&[("word/document.xml", xml)]);
    assert_eq!(import_docx(&bytes), Err(ImportError::NoTables));
    assert_eq!(ImportError::NoTables.to_string(), "в документе нет таблиц");
    assert_eq!(
        import_text("Дорожная карта\nбез таблицы"),
        Err(ImportError::NoTables)
    );
    assert_eq!(import_html("<p>Текст</p>"), Err(ImportError::NoTables));
}

#[test]
fn no_activity_header() {
    let text = "Дорожная карта\nФамилия\tДолжность\nИванов\tучитель\n";
    assert_eq!(import_text(text), Err(ImportError::NoActivityTable));
    let message = ImportError::NoActivityTable.to_string();
    assert!(
        message.starts_with("не найдена таблица мероприятий"),
        "{message}"
    );
    assert!(message.contains("«Мероприятия»/«Задачи»"), "{message}");
}

#[test]
fn broken_zip_and_xml() {
    assert!(matches!(
        import_docx(b"PK\x03\x04 not really a zip"),
        Err(ImportError::BrokenZip(_))
    ));
    assert!(matches!(
        import_bytes(b"PK\x03\x04 not really a zip", None),
        Err(ImportError::BrokenZip(_))
    ));
    let no_body = zip_archive(&[("word/styles.xml", "<x/>")]);
    assert!(matches!(
        import_docx(&no_body),
        Err(ImportError::BrokenZip(_))
    ));
    let bad_xml = zip_archive(&[(
        "word/document.xml",
        "<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:body></w:document>",
    )]);
    let error = import_docx(&bad_xml).expect_err("mismatched tags");
    assert!(matches!(error, ImportError::BrokenXml { .. }), "{error:?}");
    assert!(error.to_string().starts_with("повреждённый XML"));
}

#[test]
fn missing_file() {
    let error = import_path("/nonexistent/road-map.docx").expect_err("no file");
    assert!(matches!(error, orientir_ingest::IngestError::NotFound(_)));
    assert_eq!(
        error.to_string(),
        "файл не найден: /nonexistent/road-map.docx"
    );
}

#[test]
fn unplaced_content_is_reported_with_lines() {
    let text = String::from(
        "Дорожная карта на 2022 год\n\
         Фамилия\tДолжность\n\
         Иванов\tучитель\n\
         \n\
         №\tМероприятия\tСроки\tОтветственный\tПримечание\n\
         1\tСеминар\tМарт 2022\tИванов И.И.\tвнеплановый\n\
         7\t\t\t\t\n\
         \t\t\t\t\n\
         2\t\tАпрель 2022\tПетров П.П.\t\n\
         3\tВебинар\tкогда-нибудь\tСидоров С.С.\t\tлишнее\n",
    );
    let (road_map, report) = import_text(&text).expect("imports");
    let numbers: Vec<_> = road_map.activities().map(|a| a.number.clone()).collect();
    assert_eq!(
        numbers,
        vec![
            Some("1".to_string()),
            Some("2".to_string()),
            Some("3".to_string())
        ]
    );
    let warnings: Vec<(usize, &str)> = report
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    let has = |line: usize, start: &str| {
        warnings
            .iter()
            .any(|(l, m)| *l == line && m.starts_with(start))
    };
    assert!(
        has(
            2,
            "строка до заголовка таблицы пропущена: «Фамилия | Должность»"
        ),
        "{warnings:?}"
    );
    assert!(
        has(
            3,
            "строка до заголовка таблицы пропущена: «Иванов | учитель»"
        ),
        "{warnings:?}"
    );
    assert!(has(5, "столбец «Примечание» не распознан"), "{warnings:?}");
    assert!(has(7, "строка только с номером «7»"), "{warnings:?}");
    assert!(has(9, "мероприятие 2 без названия"), "{warnings:?}");
    assert!(
        has(10, "ячейка вне столбцов таблицы пропущена: «лишнее»"),
        "{warnings:?}"
    );
    assert!(has(10, "срок «когда-нибудь» не распознан"), "{warnings:?}");
}

#[test]
fn a_table_without_header_is_reported() {
    let text = "Дорожная карта на 2022 год\nФамилия\tДолжность\nИванов\tучитель\nТекст\n\
                №\tМероприятия\n1\tСеминар\n";
    let (road_map, report) = import_text(text).expect("imports");
    assert_eq!(road_map.activities().count(), 1);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].line, 2);
    assert!(
        report.warnings[0]
            .message
            .starts_with("таблица из 2 строк пропущена")
    );
}

#[test]
fn repeated_header_and_numbering_rows_are_skipped() {
    let text = format!(
        "Дорожная карта на 2022 год\n{HEADER}1\t2\t3\t4\n1\tСеминар для учителей-\tМарт 2022\tИванов И.И.\n\
         {HEADER}\tпредметников\t\t\n2\tВебинар\tАпрель 2022\tПетров П.П.\n"
    );
    let (road_map, report) = import_text(&text).expect("imports");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let titles: Vec<&str> = road_map.activities().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, vec!["Семинар для учителей-предметников", "Вебинар"]);
}
