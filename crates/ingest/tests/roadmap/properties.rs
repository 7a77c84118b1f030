//! Property tests: no panics on any input; column order does not matter;
//! generated lists of people are split back into the same people.

use orientir_ingest::roadmap::{Activity, import_bytes, import_docx, import_html, import_text};
use proptest::prelude::*;

const ALPHABET: &[char] = &[
    'а', 'б', 'в', 'е', 'ж', 'й', 'к', 'о', 'я', 'ё', 'А', 'Б', 'И', 'Н', 'О', 'Я', 'Ё', 'a', 'Z',
    '0', '1', '2', '9', ' ', ' ', '\t', '\t', '\n', '\n', '\r', '.', ',', ':', ';', '-', '–', '«',
    '»', '(', ')', '№', '#', '*', '<', '>', '/', '&', '\u{a0}', '\u{feff}', '\u{0}', '\u{1}',
];

const WORDS: &[&str] = &[
    "Сроки",
    "Срок",
    "Мероприятия",
    "Задачи",
    "Ответственный",
    "Результат",
    "ПРИКАЗ",
    "№ 5",
    "Трек 1",
    "I.",
    "Цели:",
    "Задачи:",
    "- пункт",
    "1.",
    "Сентябрь",
    "до 01.04.2022",
    "Иванов И.И.",
    "<p>",
    "</td>",
    "<table>",
    "<tr>",
    "<td colspan=3>",
    "&laquo;",
    "&#99999999;",
    "**",
    "###",
    "Дорожная карта на 2022 год",
    "ПРИКАЗЫВАЮ:",
    "Руководитель",
    "\t",
    "\n",
    "\n\n",
];

fn soup() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(ALPHABET), 0..400)
            .prop_map(|c| c.into_iter().collect::<String>()),
        prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|w| w.join(" ")),
        prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|w| w.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_any_text(text in soup()) {
        let _ = import_text(&text);
        let _ = import_html(&text);
        let _ = import_bytes(text.as_bytes(), None);
    }

    #[test]
    fn never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = import_bytes(&bytes, None);
        let mut zip_like = b"PK\x03\x04".to_vec();
        zip_like.extend(&bytes);
        let _ = import_docx(&zip_like);
        let _ = import_bytes(&bytes, Some("html"));
    }
}

const SURNAMES: &[&str] = &[
    "Бабкина",
    "Зырянова",
    "Вагин",
    "Яковченко",
    "Эстер",
    "Шаламов",
    "Соколова",
    "Римская-Корсакова",
    "Ёлкин",
    "Датченко",
];
const LETTERS: &[char] = &['А', 'Б', 'В', 'Е', 'И', 'Н', 'М', 'О', 'С', 'Ю'];

/// «Бабкина Н.А.», «Н.А. Бабкина» or «Н. А. Бабкина».
fn person() -> impl Strategy<Value = String> {
    (
        prop::sample::select(SURNAMES),
        prop::sample::select(LETTERS),
        prop::sample::select(LETTERS),
        0..3u8,
    )
        .prop_map(|(surname, a, b, style)| match style {
            0 => format!("{surname} {a}.{b}."),
            1 => format!("{a}.{b}. {surname}"),
            _ => format!("{a}. {b}. {surname}"),
        })
}

proptest! {
    #[test]
    fn generated_people_are_all_found(
        people in prop::collection::vec(person(), 1..6),
        separator in prop::sample::select(&[" ", ", ", "; ", "\n"][..]),
    ) {
        let cell = people.join(separator);
        let text = format!("Дорожная карта\n№\tМероприятия\tОтветственный\n1\tСеминар\t{}\n",
            cell.replace('\n', " "));
        let (road_map, _) = import_text(&text).expect("imports");
        let activity = road_map.activities().next().expect("one activity");
        prop_assert_eq!(&activity.responsible, &people);
    }
}

const TITLES: &[&str] = &[
    "Семинар для учителей",
    "Анализ результатов ВПР",
    "Методический десант",
    "Заседание совета",
    "Курсы повышения квалификации",
];
const PERIODS: &[&str] = &[
    "Сентябрь – октябрь 2022 г.",
    "В течение года",
    "до 15 апреля 2023 г.",
    "По запросам",
    "Ежемесячно",
    "",
];
const OUTPUTS: &[&str] = &["Справка", "Приказ", "Протокол", ""];
const RESPONSIBLE: &[&str] = &[
    "Бабкина Н.А.",
    "Руководители ОУ",
    "Бабкина Н.А. Руководители ОУ",
    "",
];

fn rows() -> impl Strategy<Value = Vec<[String; 5]>> {
    prop::collection::vec(
        (
            prop::sample::select(TITLES),
            prop::sample::select(PERIODS),
            prop::sample::select(RESPONSIBLE),
            prop::sample::select(OUTPUTS),
        ),
        1..10,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (t, p, r, o))| {
                [
                    (i + 1).to_string(),
                    t.to_string(),
                    p.to_string(),
                    r.to_string(),
                    o.to_string(),
                ]
            })
            .collect()
    })
}

fn table_text(rows: &[[String; 5]], order: &[usize]) -> String {
    let header = [
        "№ п/п",
        "Мероприятие",
        "Сроки реализации",
        "Ответственные",
        "Итоговый документ",
    ];
    let line = |cells: &[&str]| {
        order
            .iter()
            .map(|i| cells[*i])
            .collect::<Vec<_>>()
            .join("\t")
    };
    let mut text = String::from("Дорожная карта на 2022-2023 учебный год\n\n");
    text.push_str(&line(&header));
    text.push('\n');
    for row in rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        text.push_str(&line(&cells));
        text.push('\n');
    }
    text
}

fn activities(text: &str) -> Vec<Activity> {
    let (road_map, _) = import_text(text).expect("imports");
    road_map.activities().cloned().collect()
}

proptest! {
    #[test]
    fn column_order_does_not_matter(
        rows in rows(),
        order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
    ) {
        let natural = activities(&table_text(&rows, &[0, 1, 2, 3, 4]));
        let shuffled = activities(&table_text(&rows, &order));
        prop_assert_eq!(natural.len(), rows.len());
        prop_assert_eq!(natural, shuffled);
    }
}
