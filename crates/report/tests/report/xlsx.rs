//! The XLSX read back with calamine, and its sheet XML.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use orientir_domain::roadmap::RoadMap;
use orientir_report::road_map_xlsx;

use crate::common::{SEEDS, seed_map, small_map, unzip};

const HEADER: [&str; 12] = [
    "Раздел",
    "№",
    "Мероприятие",
    "Сроки",
    "Начало",
    "Окончание",
    "Вид срока",
    "Ответственные",
    "Результат",
    "Показатель",
    "Информационное сопровождение",
    "Внешняя помощь",
];

fn read(map: &RoadMap) -> Vec<Vec<Data>> {
    let bytes = road_map_xlsx(map).expect("XLSX written");
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("XLSX opens");
    let range = workbook
        .worksheet_range("Дорожная карта")
        .expect("the sheet «Дорожная карта»");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// Excel's serial day number of `date`.
fn serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    (date - epoch).num_days() as f64
}

fn check(map: &RoadMap) {
    let rows = read(map);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, HEADER);
    let activities: Vec<_> = map
        .sections
        .iter()
        .flat_map(|s| s.activities.iter().map(move |a| (s, a)))
        .collect();
    assert_eq!(rows.len() - 1, activities.len(), "one row per activity");
    for (row, (section, activity)) in rows[1..].iter().zip(&activities) {
        assert_eq!(text(&row[0]), section.title);
        assert_eq!(text(&row[1]), activity.number.clone().unwrap_or_default());
        assert_eq!(text(&row[2]), activity.title);
        let period = activity.period.as_ref();
        assert_eq!(
            text(&row[3]),
            period.map(|p| p.text.clone()).unwrap_or_default()
        );
        let windows = period.map(|p| p.windows.as_slice()).unwrap_or_default();
        match (windows.first(), windows.last()) {
            (Some(first), Some(last)) => {
                for (cell, date) in [(&row[4], first.from), (&row[5], last.to)] {
                    let Data::DateTime(value) = cell else {
                        panic!("{}: a date, got {cell:?}", activity.title);
                    };
                    assert_eq!(value.as_f64(), serial(date));
                }
            }
            _ => {
                assert_eq!(row[4], Data::Empty);
                assert_eq!(row[5], Data::Empty);
            }
        }
        assert_eq!(text(&row[7]), activity.responsible.join("\n"));
    }
}

#[test]
fn small_map_reads_back() {
    let map = small_map();
    check(&map);
    let rows = read(&map);
    assert_eq!(text(&rows[1][6]), "период");
    assert_eq!(text(&rows[3][6]), "ежемесячно");
    assert_eq!(text(&rows[1][10]), "Сайт МОУО");
    assert!(text(&rows[1][2]).contains("ОГЭ & ЕГЭ (баллы < 30)"));
}

#[test]
fn seeds_read_back_with_sections_filled() {
    for name in SEEDS {
        let Some(map) = seed_map(name) else {
            return;
        };
        check(&map);
        let rows = read(&map);
        let with_section = rows[1..].iter().filter(|r| !text(&r[0]).is_empty()).count();
        assert!(with_section > 0, "{name}: the section column is filled");
        let dated = rows[1..]
            .iter()
            .filter(|r| matches!(r[4], Data::DateTime(_)))
            .count();
        assert!(dated > 0, "{name}: some periods are dates");
    }
}

#[test]
fn header_is_frozen_and_filtered() {
    let bytes = road_map_xlsx(&small_map()).expect("XLSX written");
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<pane ") && sheet.contains(r#"state="frozen""#),
        "{sheet}"
    );
    assert!(sheet.contains(r#"<autoFilter ref="A1:L4"/>"#), "{sheet}");
    assert!(sheet.contains("<cols>"));
    let workbook = unzip(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="Дорожная карта""#));
}
