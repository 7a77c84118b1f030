//! Helpers shared by the tests: seeds, a small hand-made road map, unzipping.

use std::io::{Cursor, Read};

use chrono::NaiveDate;
use orientir_domain::period::{PeriodContext, parse_period};
use orientir_domain::roadmap::{Activity, Level, Order, RoadMap, Section};

/// The seed road maps beside the repository.
pub const SEEDS: [&str; 3] = [
    "000_62d3398e9c36f85c.txt",
    "001_e6045844769cab8a.txt",
    "002_49c13a6c8e74706a.txt",
];

/// Whether the tests run under CI (where everything optional is required).
pub fn ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// The text of a seed from `../shared/seeds`, or `None` (with a message) when it is absent
/// locally; under CI the seeds are required.
pub fn seed(name: &str) -> Option<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/").to_string() + name;
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if ci() => panic!("CI requires the seed road maps: {path}: {e}"),
        Err(e) => {
            eprintln!("skipped: seed {path} is not there ({e})");
            None
        }
    }
}

/// A seed imported from its text.
pub fn seed_map(name: &str) -> Option<RoadMap> {
    let text = seed(name)?;
    let (map, _) = orientir_ingest::roadmap::import_text(&text).expect("seed imports");
    Some(map)
}

fn activity(number: &str, title: &str, period: &str, responsible: &[&str]) -> Activity {
    Activity {
        number: Some(number.to_string()),
        title: title.to_string(),
        period: Some(parse_period(period, &PeriodContext::default())),
        responsible: responsible.iter().map(|s| s.to_string()).collect(),
        output: None,
        indicator: None,
        publicity: None,
        external_help: None,
    }
}

/// A small road map with the characters XML must escape, quotes and «ё».
pub fn small_map() -> RoadMap {
    let mut first = activity(
        "1",
        "Анализ результатов ОГЭ & ЕГЭ (баллы < 30) по «русскому языку»",
        "Сентябрь – октябрь 2022 г.",
        &["Бабкина Н.А.", "Руководители ОУ"],
    );
    first.output = Some("Справка \"об итогах\" с учётом ё-мобиля".to_string());
    first.indicator = Some("Доля школ > 50 %".to_string());
    first.publicity = Some("Сайт МОУО".to_string());
    let mut second = activity(
        "1.1",
        "Семинар для учителей: 'ошибки' <ВПР>",
        "до 15 апреля 2023 г.",
        &["Зырянова М.А."],
    );
    second.output = Some("Протокол".to_string());
    let third = activity(
        "2",
        "Ежемесячный мониторинг посещаемости учащихся",
        "Ежемесячно",
        &["Кураторы школ"],
    );
    RoadMap {
        title: "Дорожная карта по поддержке школ «Ёлочка» & «Берёзка» на 2022-2023 уч. год"
            .to_string(),
        level: Level::Municipal,
        owner: Some("Управление образования".to_string()),
        order: Some(Order {
            issuer: Some("управления образования «Тестового» района".to_string()),
            number: Some("№ 01-04-181".to_string()),
            date: NaiveDate::from_ymd_opt(2022, 7, 1),
            ..Order::default()
        }),
        period: None,
        goals: vec!["Повысить качество образования в школах с низкими результатами".to_string()],
        tasks: vec![
            "Выявить школы с низкими результатами".to_string(),
            "Оказать адресную помощь".to_string(),
        ],
        expected_results: Vec::new(),
        sections: vec![
            Section {
                title: "Трек 1 - Адресная поддержка школ".to_string(),
                activities: vec![first, second],
                ..Section::default()
            },
            Section {
                title: "Трек 2 - Мониторинг".to_string(),
                activities: vec![third],
                ..Section::default()
            },
        ],
    }
}

/// One file of a zip archive as text.
pub fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} in the archive: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 XML");
    text
}
