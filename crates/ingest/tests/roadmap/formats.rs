//! The same small road map as text, HTML and DOCX gives the same result.

use std::io::Write;

use crate::common::{SMALL_TEXT, check_small};
use orientir_ingest::roadmap::{import_bytes, import_docx, import_html, import_text};

const SMALL_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Дорожная карта</title><style>p{}</style></head><body>
<p>ПРИКАЗ</p>
<p>01.09.2022</p>
<p>№&nbsp;5-од</p>
<p><b>ПРИКАЗЫВАЮ:</b></p>
<p>1. Утвердить дорожную карту.</p>
<p>2. Назначить ответственным Иванову&nbsp;А.А.</p>
<p>Директор<br>И.И. Петров</p>
<h2>Дорожная карта школы на 2022-2023 учебный год</h2>
<p><strong>Цели:</strong></p>
<ul><li>повысить качество образования</li><li>снизить долю <i>неуспевающих</i></li></ul>
<table border="1">
<thead><tr><th>Мероприятия</th><th>Ответственные</th><th>№ п/п</th><th>Планируемые результаты</th><th>Срок исполнения</th></tr></thead>
<tbody>
<tr><td colspan="5"><b>I. Методическая работа</b></td></tr>
<tr><td><p>Семинар &laquo;Учебная <i>неуспешность</i>&raquo;</p></td>
    <td>Иванова А.А.<br/>Петров Б.Б.</td><td>1</td><td>Программа семинара</td><td>Сентябрь&nbsp;– октябрь</td></tr>
<tr><td>Консультации учителей</td><td><ul><li>Руководители ОУ</li></ul></td><td>2</td><td>Справка</td><td>По запросам</td></tr>
<tr><td colspan="5">II. Работа с родителями</td></tr>
<tr><td>Родительское собрание</td><td>Классные руководители</td><td>3</td><td>Протокол</td><td>Декабрь 2022&nbsp;г.</td></tr>
</tbody></table>
</body></html>"#;

#[test]
fn text_version() {
    let (road_map, report) = import_text(SMALL_TEXT).expect("imports");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    check_small(&road_map);
}

#[test]
fn html_version_matches_text() {
    let (html, report) = import_html(SMALL_HTML).expect("imports");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    check_small(&html);
    let (text, _) = import_text(SMALL_TEXT).expect("imports");
    assert_eq!(html, text);
    let (by_content, _) = import_bytes(SMALL_HTML.as_bytes(), None).expect("imports");
    assert_eq!(by_content, text);
}

fn run(text: &str, bold: bool) -> String {
    let props = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn paragraph(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text, false))
}

fn cell(paragraphs: &[&str], span: usize) -> String {
    let props = if span > 1 {
        format!(r#"<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>"#)
    } else {
        String::new()
    };
    let body: String = paragraphs.iter().map(|p| paragraph(p)).collect();
    let body = if body.is_empty() {
        "<w:p/>".to_string()
    } else {
        body
    };
    format!("<w:tc>{props}{body}</w:tc>")
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// `word/document.xml` of the small road map; columns in yet another order,
/// section rows spanning the grid, a cell of two paragraphs.
fn small_document_xml() -> String {
    let mut body = String::new();
    for line in [
        "ПРИКАЗ",
        "01.09.2022",
        "№ 5-од",
        "ПРИКАЗЫВАЮ:",
        "1. Утвердить дорожную карту.",
        "2. Назначить ответственным Иванову А.А.",
        "Директор",
        "И.И. Петров",
    ] {
        body.push_str(&paragraph(line));
    }
    body.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>"#);
    body.push_str(&run("Дорожная карта школы на 2022-2023 учебный год", false));
    body.push_str("</w:p>");
    body.push_str(&format!("<w:p>{}</w:p>", run("Цели:", true)));
    // Word's automatic numbering: list items without typed markers.
    body.push_str(&paragraph("повысить качество образования"));
    body.push_str(&paragraph("снизить долю неуспевающих"));
    let plain = |s: &str| cell(&[s], 1);
    body.push_str("<w:tbl><w:tblGrid/>");
    body.push_str(&row(&[
        plain("№"),
        plain("Сроки реализации"),
        plain("Наименование мероприятия"),
        plain("Результат"),
        plain("Ответственный исполнитель"),
    ]));
    body.push_str(&row(&[cell(&["I. Методическая работа"], 5)]));
    body.push_str(&row(&[
        plain("1"),
        plain("Сентябрь – октябрь"),
        plain("Семинар «Учебная неуспешность»"),
        plain("Программа семинара"),
        cell(&["Иванова А.А.", "Петров Б.Б."], 1),
    ]));
    body.push_str(&row(&[
        plain("2"),
        plain("По запросам"),
        plain("Консультации учителей"),
        plain("Справка"),
        plain("Руководители ОУ"),
    ]));
    body.push_str(&row(&[cell(&["II. Работа с родителями"], 5)]));
    body.push_str(&row(&[
        plain("3"),
        plain("Декабрь 2022 г."),
        plain("Родительское собрание"),
        plain("Протокол"),
        plain("Классные руководители"),
    ]));
    body.push_str("</w:tbl><w:sectPr/>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

fn docx(document_xml: &str) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let files = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
            ),
            ("word/document.xml", document_xml),
        ];
        for (name, content) in files {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }
    buffer.into_inner()
}

#[test]
fn docx_version_matches_text() {
    let bytes = docx(&small_document_xml());
    let (from_docx, report) = import_docx(&bytes).expect("imports");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    check_small(&from_docx);
    let (text, _) = import_text(SMALL_TEXT).expect("imports");
    assert_eq!(from_docx, text);
    let (by_magic, _) = import_bytes(&bytes, None).expect("imports");
    assert_eq!(by_magic, text);
}

#[test]
fn docx_vertical_merge_repeats_the_cell_above() {
    let xml = small_document_xml().replace(
        &cell(&["Руководители ОУ"], 1),
        r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#,
    );
    let (road_map, _) = import_docx(&docx(&xml)).expect("imports");
    assert_eq!(
        road_map.sections[0].activities[1].responsible,
        vec!["Иванова А.А.", "Петров Б.Б."]
    );
}
