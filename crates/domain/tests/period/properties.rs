//! Property tests: invariants that must hold for any cell text.

use chrono::NaiveDate;
use orientir_domain::period::{Period, PeriodContext, PeriodKind, Window, parse_period};
use proptest::prelude::*;
use proptest::sample::select;

const MONTHS: &[&str] = &[
    "январь",
    "января",
    "январе",
    "февраль",
    "февраля",
    "март",
    "марте",
    "апрель",
    "апреля",
    "май",
    "мая",
    "мае",
    "июнь",
    "июня",
    "июль",
    "июле",
    "август",
    "августа",
    "сентябрь",
    "сентября",
    "сентябре",
    "октябрь",
    "октября",
    "ноябрь",
    "ноября",
    "декабрь",
    "декабре",
];
const YEAR_WORDS: &[&str] = &["г.", "г", "года", "гг.", "год"];
const DASHES: &[&str] = &["-", "–", "—"];
const PHRASES: &[&[&str]] = &[
    &["в", "течение", "года"],
    &["в", "течение", "учебного", "года"],
    &["на", "протяжении", "всего", "периода"],
    &["постоянно"],
    &["ежемесячно"],
    &["ежеквартально"],
    &["1", "раз", "в", "квартал"],
    &["2", "раза", "в", "год"],
    &["два", "раза", "в", "год"],
    &["по", "итогам", "каждой", "четверти"],
    &["каждый", "вторник"],
    &["еженедельно", ",", "понедельник", ",", "пятница"],
    &["по", "годовому", "плану"],
    &["по", "специальному", "графику"],
    &["по", "запросу", "ОО"],
    &["в", "конце", "учебного", "года"],
    &["I", "полугодие"],
    &["II", "полугодие"],
    &["1", "квартал"],
    &["2", "четверть"],
];
const JUNK: &[&str] = &[
    "ориентировочно",
    "текущего",
    "числа",
    "15",
    "ёлка",
    "(",
    ")",
    "№",
];

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// A cell as a list of tokens: joined with any whitespace it must mean
/// the same.
fn year() -> impl Strategy<Value = i32> {
    2015..=2030i32
}

fn year_tokens() -> impl Strategy<Value = Vec<String>> {
    (year(), proptest::option::of(select(YEAR_WORDS))).prop_map(|(y, word)| {
        let mut tokens = vec![y.to_string()];
        tokens.extend(word.map(str::to_string));
        tokens
    })
}

fn month_tokens() -> impl Strategy<Value = Vec<String>> {
    (select(MONTHS), proptest::option::of(year_tokens())).prop_map(|(month, year)| {
        let mut tokens = vec![month.to_string()];
        tokens.extend(year.unwrap_or_default());
        tokens
    })
}

fn dotted_date() -> impl Strategy<Value = String> {
    (1..=31u32, 1..=12u32, proptest::option::of(year())).prop_map(|(d, m, y)| match y {
        Some(y) => format!("{d:02}.{m:02}.{y}"),
        None => format!("{d:02}.{m:02}"),
    })
}

fn fragment() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        month_tokens(),
        (month_tokens(), select(DASHES), month_tokens())
            .prop_map(|(a, dash, b)| { [a, vec![dash.to_string()], b].concat() }),
        dotted_date().prop_map(|d| vec![d]),
        (dotted_date(), select(DASHES), dotted_date()).prop_map(|(a, dash, b)| vec![
            a,
            dash.to_string(),
            b
        ]),
        (1..=31u32, month_tokens())
            .prop_map(|(d, m)| [vec!["до".to_string(), d.to_string()], m].concat()),
        (1..=15u32, 16..=31u32, month_tokens()).prop_map(|(a, b, m)| [
            vec!["с".into(), a.to_string(), "по".into(), b.to_string()],
            m
        ]
        .concat()),
        year().prop_map(|y| vec![
            y.to_string(),
            "-".into(),
            (y + 1).to_string(),
            "уч.".into(),
            "год".into()
        ]),
        year_tokens(),
        (select(&["I", "II", "III", "IV"][..]), year()).prop_map(|(q, y)| vec![
            q.to_string(),
            "квартал".into(),
            y.to_string()
        ]),
        select(PHRASES).prop_map(owned),
        select(JUNK).prop_map(|w| vec![w.to_string()]),
    ]
}

fn cell_tokens() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((fragment(), select(&["", ",", ".", ";"][..])), 1..4).prop_map(|parts| {
        let mut tokens = Vec::new();
        for (fragment, separator) in parts {
            tokens.extend(fragment);
            if !separator.is_empty() {
                tokens.push(separator.to_string());
            }
        }
        tokens
    })
}

fn context() -> impl Strategy<Value = PeriodContext> {
    prop_oneof![
        Just(PeriodContext::default()),
        (2015..=2030i32).prop_map(PeriodContext::school_year),
        (2015..=2030i32, 1..=3i32).prop_map(|(y, span)| crate::common::document(
            &format!("{y}-01-01"),
            &format!("{}-12-31", y + span - 1)
        )),
    ]
}

/// Re-cases letters at random and joins the tokens with 1–3 whitespace
/// characters (plus some around the whole cell).
fn disguise(tokens: &[String], seed: &[u8]) -> String {
    let mut bits = seed.iter().cycle().copied();
    let mut next = move || bits.next().unwrap_or(0);
    let whitespace = [" ", "  ", "\t", "\u{a0}", " \n "];
    let mut text = String::from(whitespace[usize::from(next()) % whitespace.len()]);
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            text.push_str(whitespace[usize::from(next()) % whitespace.len()]);
        }
        for c in token.chars() {
            if next() % 2 == 0 {
                text.extend(c.to_uppercase());
            } else {
                text.extend(c.to_lowercase());
            }
        }
    }
    text.push_str(whitespace[usize::from(next()) % whitespace.len()]);
    text
}

fn stated_years(text: &str) -> Vec<i32> {
    let mut years = Vec::new();
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if digits.len() == 4
                && let Ok(year) = digits.parse()
            {
                years.push(year);
            }
            digits.clear();
        }
    }
    years
}

fn within_stated_years(window: &Window, years: &[i32]) -> bool {
    let (Some(first), Some(last)) = (years.iter().min(), years.iter().max()) else {
        return false;
    };
    let bounds = (
        NaiveDate::from_ymd_opt(*first, 1, 1),
        NaiveDate::from_ymd_opt(*last, 12, 31),
    );
    matches!(bounds, (Some(from), Some(to)) if from <= window.from && window.to <= to)
}

fn check_invariants(text: &str, period: &Period) -> Result<(), TestCaseError> {
    prop_assert_eq!(&period.text, text);
    for window in &period.windows {
        prop_assert!(window.from <= window.to, "{:?}", window);
    }
    if period.kind == PeriodKind::Unresolved {
        prop_assert!(period.windows.is_empty());
        prop_assert!(period.recurrence.is_none());
    }
    let json = serde_json::to_string(period).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: Period =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, period);
    Ok(())
}

fn without_text(period: Period) -> Period {
    Period {
        text: String::new(),
        ..period
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_strings(text in any::<String>(), ctx in context()) {
        let period = parse_period(&text, &ctx);
        check_invariants(&text, &period)?;
    }

    #[test]
    fn never_panics_on_arbitrary_chars(chars in prop::collection::vec(any::<char>(), 0..60)) {
        let text: String = chars.into_iter().collect();
        let period = parse_period(&text, &PeriodContext::school_year(2022));
        check_invariants(&text, &period)?;
    }

    #[test]
    fn never_panics_on_glued_fragments(
        pieces in prop::collection::vec(
            select(&["сен", "тябрь", "2022", "01", ".", "-", "–", "г", "до", "с", "по", "ё", "I", "9", "/", " ", "раз", "в", "год"][..]),
            0..30,
        ),
        ctx in context(),
    ) {
        let text = pieces.concat();
        let period = parse_period(&text, &ctx);
        check_invariants(&text, &period)?;
    }

    #[test]
    fn invariants_hold_for_realistic_cells(tokens in cell_tokens(), ctx in context()) {
        let text = tokens.join(" ");
        let period = parse_period(&text, &ctx);
        check_invariants(&text, &period)?;
    }

    #[test]
    fn windows_lie_in_the_document_or_the_stated_years(tokens in cell_tokens(), ctx in context()) {
        let text = tokens.join(" ");
        let period = parse_period(&text, &ctx);
        let years = stated_years(&text);
        for window in &period.windows {
            let in_document = ctx.document.is_some_and(|doc| doc.contains(window));
            prop_assert!(
                in_document || within_stated_years(window, &years),
                "{:?} in {:?} (document {:?})", window, text, ctx.document
            );
        }
    }

    #[test]
    fn case_and_whitespace_do_not_matter(
        tokens in cell_tokens(),
        seed in prop::collection::vec(any::<u8>(), 1..32),
        ctx in context(),
    ) {
        let plain = tokens.join(" ");
        let disguised = disguise(&tokens, &seed);
        let expected = without_text(parse_period(&plain, &ctx));
        let actual = parse_period(&disguised, &ctx);
        prop_assert_eq!(&actual.text, &disguised);
        prop_assert_eq!(without_text(actual), expected, "{:?} vs {:?}", disguised, plain);
    }

    #[test]
    fn glued_dashes_and_year_suffixes_do_not_matter(
        first in select(MONTHS),
        second in select(MONTHS),
        year in year(),
        dash in select(DASHES),
        ctx in context(),
    ) {
        let spaced = parse_period(&format!("{first} {dash} {second} {year} г."), &ctx);
        let glued = parse_period(&format!("{first}{dash}{second} {year}г."), &ctx);
        prop_assert_eq!(without_text(spaced), without_text(glued));
    }
}
