//! The DOCX's XML: page, table header, section rows, approval block, fonts, escaping.

use chrono::NaiveDate;
use orientir_domain::roadmap::{Order, RoadMap};
use orientir_report::{Approval, road_map_docx};

use crate::common::{small_map, unzip};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/report/golden/small_document.xml"
);

fn document_xml(map: &RoadMap, approval: &Approval) -> String {
    let bytes = road_map_docx(map, approval).expect("DOCX written");
    unzip(&bytes, "word/document.xml")
}

/// One element per line, so that a difference shows where it is.
fn normalise(xml: &str) -> String {
    let mut text = xml.replace("><", ">\n<");
    text.push('\n');
    text
}

#[test]
fn document_matches_the_golden_file() {
    let actual = normalise(&document_xml(&small_map(), &Approval::default()));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(GOLDEN, &actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(GOLDEN).unwrap_or_default();
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or(actual.lines().count().min(expected.lines().count()), |i| i);
        panic!(
            "word/document.xml differs from {GOLDEN} at line {}: {:?} vs {:?}\n\
             after an intended change run UPDATE_SNAPSHOTS=1 cargo test -p orientir-report",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line),
        );
    }
}

#[test]
fn landscape_a4_with_margins() {
    let xml = document_xml(&small_map(), &Approval::default());
    assert!(xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
    assert!(xml.contains(r#"w:left="1134""#) && xml.contains(r#"w:top="1134""#));
    let section = xml.rfind("<w:sectPr>").expect("section properties");
    assert!(
        xml[section..].starts_with("<w:sectPr>")
            && xml.ends_with("</w:sectPr></w:body></w:document>"),
        "sectPr is the body's last child"
    );
}

#[test]
fn one_table_whose_first_row_repeats() {
    let xml = document_xml(&small_map(), &Approval::default());
    assert_eq!(xml.matches("<w:tbl>").count(), 1);
    let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
    assert_eq!(
        rows.len(),
        1 + 2 + 3,
        "header, two sections, three activities"
    );
    assert!(rows[0].contains("<w:tblHeader/>"));
    assert!(rows[1..].iter().all(|r| !r.contains("<w:tblHeader/>")));
    for header in [
        "№ п/п",
        "Мероприятие",
        "Сроки",
        "Ответственные",
        "Результат (итоговый документ)",
        "Показатель",
        "Информационное сопровождение",
    ] {
        assert!(rows[0].contains(&format!(">{header}<")), "header {header}");
    }
    assert!(
        !rows[0].contains("Внешняя помощь"),
        "no activity has external help"
    );
    assert_eq!(xml.matches("<w:gridCol ").count(), 7);
}

#[test]
fn section_rows_span_the_table_in_bold() {
    let xml = document_xml(&small_map(), &Approval::default());
    let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
    for (row, title) in [
        (rows[1], "Трек 1 - Адресная поддержка школ"),
        (rows[4], "Трек 2 - Мониторинг"),
    ] {
        assert!(row.contains(r#"<w:gridSpan w:val="7"/>"#), "{row}");
        assert_eq!(row.matches("<w:tc>").count(), 1);
        assert!(row.contains("<w:b/>"));
        assert!(row.contains(title));
    }
    assert!(!rows[2].contains("gridSpan"));
}

#[test]
fn approval_block_from_the_order_or_the_override() {
    let xml = document_xml(&small_map(), &Approval::default());
    assert!(xml.contains(">УТВЕРЖДЕНА<"));
    assert!(xml.contains(">приказом управления образования «Тестового» района<"));
    assert!(xml.contains(">от 01.07.2022 №\u{a0}01-04-181<"));
    let approval_at = xml.find("УТВЕРЖДЕНА").expect("block");
    assert!(approval_at < xml.find("Дорожная карта по").expect("title"));

    let own = Approval {
        number: Some("83".to_string()),
        date: NaiveDate::from_ymd_opt(2022, 3, 9),
        ..Approval::default()
    };
    let xml = document_xml(&small_map(), &own);
    assert!(xml.contains(">от 09.03.2022 №\u{a0}83<"));
    assert!(xml.contains(">приказом управления образования «Тестового» района<"));

    let mut map = small_map();
    map.order = Some(Order {
        number: Some("№ 155-РМК".to_string()),
        ..Order::default()
    });
    let xml = document_xml(&map, &Approval::default());
    assert!(xml.contains(">приказом №\u{a0}155-РМК<"));
    assert!(!xml.contains("None") && !xml.contains(" от "));

    map.order = None;
    let xml = document_xml(&map, &Approval::default());
    assert!(!xml.contains("УТВЕРЖДЕНА"));
}

#[test]
fn text_is_escaped_and_kept_as_written() {
    let mut map = small_map();
    map.sections[0].activities[0].title = "1\u{a0}сентября – «ё» <b> & \u{1}".to_string();
    let xml = document_xml(&map, &Approval::default());
    assert!(xml.contains("1\u{a0}сентября – «ё» &lt;b&gt; &amp; <"));
    assert!(xml.contains("&quot;об итогах&quot;"));
    assert!(!xml.contains('\u{1}'));
    assert!(xml.contains(">Бабкина Н.А.</w:t><w:br/><w:t xml:space=\"preserve\">Руководители ОУ<"));
    assert!(xml.contains(">Сентябрь – октябрь 2022 г.<"));
    assert!(xml.contains(">1.1<"));
}

#[test]
fn times_new_roman_12_by_default() {
    let bytes = road_map_docx(&small_map(), &Approval::default()).expect("DOCX written");
    let styles = unzip(&bytes, "word/styles.xml");
    let defaults = &styles[styles.find("<w:docDefaults>").expect("docDefaults")
        ..styles.find("</w:docDefaults>").expect("docDefaults end")];
    assert!(defaults.contains(r#"w:ascii="Times New Roman""#));
    assert!(defaults.contains(r#"w:hAnsi="Times New Roman""#));
    assert!(defaults.contains(r#"w:cs="Times New Roman""#));
    assert!(defaults.contains(r#"<w:sz w:val="24"/>"#));
    let types = unzip(&bytes, "[Content_Types].xml");
    assert!(types.contains("/word/document.xml"));
    let core = unzip(&bytes, "docProps/core.xml");
    assert!(core.contains("«Ёлочка» &amp; «Берёзка»"));
}

#[test]
fn same_map_same_bytes() {
    let map = small_map();
    assert_eq!(
        road_map_docx(&map, &Approval::default()).expect("DOCX"),
        road_map_docx(&map, &Approval::default()).expect("DOCX")
    );
}
