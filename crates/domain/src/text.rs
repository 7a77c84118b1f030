//! Russian text helpers: sort keys and date formatting.
//!
//! SQLite's `lower()` folds only Latin letters and both databases order «ё» after «я», so every
//! name that is sorted carries a key computed here, identical on both backends.

use chrono::{Datelike, NaiveDate};

/// Width to which digit runs are padded so that «СОШ № 2» sorts before «СОШ № 10».
const DIGIT_WIDTH: usize = 8;

/// A key that sorts Russian names as a person expects: case-insensitive, «ё» as «е», quotes and
/// punctuation ignored, numbers in numeric order.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 8);
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
            for _ in trimmed.chars().count()..DIGIT_WIDTH {
                key.push('0');
            }
            key.push_str(trimmed);
            digits.clear();
        }
    };
    let mut last_space = true;
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            last_space = false;
            continue;
        }
        flush(&mut digits, &mut key);
        if ch.is_alphabetic() {
            for lower in ch.to_lowercase() {
                key.push(if lower == 'ё' { 'е' } else { lower });
            }
            last_space = false;
        } else if (ch.is_whitespace() || ch == '-' || ch == '№') && !last_space {
            key.push(' ');
            last_space = true;
        }
    }
    flush(&mut digits, &mut key);
    key.trim_end().to_owned()
}

const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// «1 сентября 2022 г.» with non-breaking spaces where Russian typography wants them.
pub fn format_date_long(date: NaiveDate) -> String {
    format!(
        "{}\u{a0}{} {}\u{a0}г.",
        date.day(),
        MONTHS_GENITIVE[date.month0() as usize],
        date.year()
    )
}

/// 01.09.2022
pub fn format_date_short(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// Groups thousands with a narrow no-break space: 12 345.
pub fn format_count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if n < 0 { format!("−{out}") } else { out }
}

/// Russian plural form: `plural(5, ["школа", "школы", "школ"])` → «школ».
pub fn plural(n: i64, forms: [&str; 3]) -> &str {
    let n = n.unsigned_abs();
    let (last, last_two) = (n % 10, n % 100);
    if last == 1 && last_two != 11 {
        forms[0]
    } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
        forms[1]
    } else {
        forms[2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yo_sorts_with_ye_and_numbers_sort_numerically() {
        let mut names = vec![
            "МБОУ СОШ № 10",
            "Ёлкинская СОШ",
            "МБОУ СОШ № 2",
            "Еловская ООШ",
            "Яровая",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            // «Ёлк…» sorts as «Елк…», before «Ело…», not after «Я».
            vec![
                "Ёлкинская СОШ",
                "Еловская ООШ",
                "МБОУ СОШ № 2",
                "МБОУ СОШ № 10",
                "Яровая"
            ]
        );
    }

    #[test]
    fn quotes_and_case_do_not_matter() {
        assert_eq!(sort_key("МБОУ «Лицей № 1»"), sort_key("мбоу лицей №1"));
    }

    #[test]
    fn dates_in_russian() {
        let d = NaiveDate::from_ymd_opt(2022, 9, 1).expect("valid date");
        assert_eq!(format_date_long(d), "1\u{a0}сентября 2022\u{a0}г.");
        assert_eq!(format_date_short(d), "01.09.2022");
    }

    #[test]
    fn counts_and_plurals() {
        assert_eq!(format_count(12345), "12\u{202f}345");
        assert_eq!(format_count(999), "999");
        assert_eq!(plural(1, ["школа", "школы", "школ"]), "школа");
        assert_eq!(plural(3, ["школа", "школы", "школ"]), "школы");
        assert_eq!(plural(11, ["школа", "школы", "школ"]), "школ");
        assert_eq!(plural(21, ["школа", "школы", "школ"]), "школа");
    }

    proptest! {
        #[test]
        fn sort_key_ignores_case_and_yo(s in "[а-яА-ЯёЁ0-9 №«»-]{0,30}") {
            let folded: String = s.to_lowercase().replace('ё', "е");
            prop_assert_eq!(sort_key(&s), sort_key(&folded));
        }

        #[test]
        fn numbers_order_numerically(a in 0u32..100_000, b in 0u32..100_000) {
            let ka = sort_key(&format!("СОШ № {a}"));
            let kb = sort_key(&format!("СОШ № {b}"));
            prop_assert_eq!(a.cmp(&b), ka.cmp(&kb));
        }
    }
}
