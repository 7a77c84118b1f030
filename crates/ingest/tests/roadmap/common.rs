//! Helpers shared by the integration tests.
#![allow(dead_code)]

use orientir_domain::period::PeriodKind;
use orientir_ingest::roadmap::{Activity, RoadMap};

/// The text of a seed road map from `../shared/seeds` beside the repository, or `None` (with a
/// message) when it is absent locally; under CI (`CI` set) the seeds are required.
pub fn seed(name: &str) -> Option<String> {
    let path = format!(
        "{}/../../../shared/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI requires the seed road maps: {path}: {e}")
        }
        Err(e) => {
            eprintln!("skipped: seed {path} is not there ({e})");
            None
        }
    }
}

/// One expected activity: number, first words of the title, title length
/// in chars, period text and kind, responsible list.
pub type Expected<'a> = (
    &'a str,
    &'a str,
    usize,
    Option<(&'a str, PeriodKind)>,
    &'a [&'a str],
);

pub fn check_activities(road_map: &RoadMap, expected: &[Expected<'_>]) {
    let activities: Vec<&Activity> = road_map.activities().collect();
    assert_eq!(activities.len(), expected.len(), "number of activities");
    for (activity, (number, start, len, period, responsible)) in activities.iter().zip(expected) {
        let label = format!("activity {number}");
        assert_eq!(activity.number.as_deref(), Some(*number), "{label}");
        assert!(
            activity.title.starts_with(start),
            "{label}: title {:?} should start with {start:?}",
            activity.title
        );
        assert_eq!(
            activity.title.chars().count(),
            *len,
            "{label}: {:?}",
            activity.title
        );
        let actual = activity.period.as_ref().map(|p| (p.text.as_str(), p.kind));
        assert_eq!(actual, *period, "{label}: period");
        assert_eq!(activity.responsible, *responsible, "{label}: responsible");
    }
}

/// The windows of the activity numbered `number` in section `section`,
/// as ISO strings.
pub fn windows(road_map: &RoadMap, section: usize, number: &str) -> Vec<(String, String)> {
    road_map.sections[section]
        .activities
        .iter()
        .find(|a| a.number.as_deref() == Some(number))
        .and_then(|a| a.period.as_ref())
        .map(|p| {
            p.windows
                .iter()
                .map(|w| (w.from.to_string(), w.to.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A small school road map as tab-separated text; the HTML and DOCX tests
/// build the same document in their formats, with columns reordered.
pub const SMALL_TEXT: &str = "ПРИКАЗ\n\
01.09.2022\n\
№ 5-од\n\
\n\
ПРИКАЗЫВАЮ:\n\
1. Утвердить дорожную карту.\n\
2. Назначить ответственным Иванову А.А.\n\
\n\
Директор\n\
И.И. Петров\n\
\n\
Дорожная карта школы на 2022-2023 учебный год\n\
\n\
Цели:\n\
- повысить качество образования\n\
- снизить долю неуспевающих\n\
\n\
№\tМероприятия\tСроки\tОтветственные\tРезультат\n\
I. Методическая работа\t\t\t\t\n\
1\tСеминар «Учебная неуспешность»\tСентябрь – октябрь\tИванова А.А., Петров Б.Б.\tПрограмма семинара\n\
2\tКонсультации учителей\tПо запросам\tРуководители ОУ\tСправка\n\
II. Работа с родителями\t\t\t\t\n\
3\tРодительское собрание\tДекабрь 2022 г.\tКлассные руководители\tПротокол\n";

/// Checks the structure every format of [`SMALL_TEXT`] must give.
pub fn check_small(road_map: &RoadMap) {
    use orientir_ingest::roadmap::Level;
    assert_eq!(
        road_map.title,
        "Дорожная карта школы на 2022-2023 учебный год"
    );
    assert_eq!(road_map.level, Level::School);
    let order = road_map.order.as_ref().expect("order");
    assert_eq!(order.number.as_deref(), Some("№ 5-од"));
    assert_eq!(order.signatory.as_deref(), Some("И.И. Петров"));
    assert_eq!(
        order.appointments,
        vec!["Назначить ответственным Иванову А.А."]
    );
    assert_eq!(
        road_map.goals,
        vec!["повысить качество образования", "снизить долю неуспевающих"]
    );
    let sections: Vec<(&str, usize)> = road_map
        .sections
        .iter()
        .map(|s| (s.title.as_str(), s.activities.len()))
        .collect();
    assert_eq!(
        sections,
        vec![
            ("I. Методическая работа", 2),
            ("II. Работа с родителями", 1)
        ]
    );
    let first = &road_map.sections[0].activities[0];
    assert_eq!(first.number.as_deref(), Some("1"));
    assert_eq!(first.title, "Семинар «Учебная неуспешность»");
    assert_eq!(first.responsible, vec!["Иванова А.А.", "Петров Б.Б."]);
    assert_eq!(first.output.as_deref(), Some("Программа семинара"));
    let period = first.period.as_ref().expect("period");
    assert_eq!(period.text, "Сентябрь – октябрь");
    assert_eq!(period.kind, PeriodKind::Range);
    assert_eq!(period.windows[0].from.to_string(), "2022-09-01");
    assert_eq!(period.windows[0].to.to_string(), "2022-10-31");
    let second = &road_map.sections[0].activities[1];
    assert_eq!(
        second.period.as_ref().map(|p| p.kind),
        Some(PeriodKind::OnRequest)
    );
    assert_eq!(second.responsible, vec!["Руководители ОУ"]);
    let third = &road_map.sections[1].activities[0];
    assert_eq!(third.number.as_deref(), Some("3"));
    assert_eq!(third.output.as_deref(), Some("Протокол"));
}

/// A zip archive holding `files` (name, content).
pub fn zip_archive(files: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            zip.start_file(*name, options).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }
    buffer.into_inner()
}
