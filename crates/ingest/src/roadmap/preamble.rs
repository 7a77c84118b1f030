//! The text around the table: the order's preamble (issuer, number, date,
//! place, signatory, appointments), the road map's title, its level and the
//! period it covers.

use chrono::NaiveDate;
use orientir_domain::period::Window;

use super::normalize::{collapse_ws, norm, strip_list_marker};
use super::responsible::{line_person, trailing_person};
use orientir_domain::roadmap::{Level, Order};

/// One line of text with its line number.
pub(crate) type Line<'a> = (usize, &'a str);

/// Whether a paragraph is the road map's heading: «Дорожная карта …»,
/// «Муниципальная дорожная карта …», «План мероприятий …».
pub(crate) fn is_title(text: &str) -> bool {
    let n = norm(text);
    if n.chars().count() > 600 || n.contains("является") {
        return false;
    }
    let words: Vec<&str> = n.split(' ').take(6).collect();
    let road_map = words
        .windows(2)
        .take(3)
        .any(|w| w[0] == "дорожная" && w[1] == "карта");
    road_map
        || [
            "план мероприятий",
            "план график",
            "комплекс мер",
            "программа мероприятий",
        ]
        .iter()
        .any(|p| n.starts_with(p))
}

/// Whether the line is the word «ПРИКАЗ» (also spaced «П Р И К А З»).
fn is_order_word(line: &str) -> bool {
    let letters: String = norm(line).chars().filter(|c| !c.is_whitespace()).collect();
    letters == "приказ"
}

fn is_orders_start(line: &str) -> bool {
    let n = norm(line);
    n.starts_with("приказываю")
        || n.starts_with("постановляю")
        || n.starts_with("п р и к а з ы в а ю")
}

const POSITIONS: &[&str] = &[
    "руководител",
    "начальник",
    "директор",
    "заведующ",
    "глава",
    "председател",
    "министр",
    "заместител",
    "и о ",
    "врио",
    "исполняющ",
];

fn is_position_line(line: &str) -> bool {
    let n = norm(line);
    strip_list_marker(line).is_none()
        && line.chars().count() <= 150
        && POSITIONS.iter().any(|p| n.starts_with(p))
}

/// The order, when the preamble has one (a «ПРИКАЗ» line, «ПРИКАЗЫВАЮ:» or
/// a number).
pub(crate) fn parse_order(lines: &[Line<'_>]) -> Option<Order> {
    let order_word = lines.iter().position(|(_, l)| is_order_word(l));
    let orders_start = lines.iter().position(|(_, l)| is_orders_start(l));
    let head_start = order_word.map_or(0, |i| i + 1);
    let head_end = orders_start.unwrap_or(lines.len()).max(head_start);
    let head = lines.get(head_start..head_end).unwrap_or(&[]);
    let short = || {
        head.iter()
            .map(|(_, l)| *l)
            .filter(|l| l.chars().count() <= 100)
    };
    let number = short().find_map(order_number);
    if order_word.is_none() && orders_start.is_none() && number.is_none() {
        return None;
    }
    let issuer = order_word
        .map(|i| {
            collapse_ws(
                &lines[..i]
                    .iter()
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .filter(|s| !s.is_empty());
    let date = short().find_map(find_date);
    let place = short().find(|l| is_place(l)).map(collapse_ws);
    let tail = lines
        .get(orders_start.map_or(head_start, |i| i + 1)..)
        .unwrap_or(&[]);
    let position = tail.iter().position(|(_, l)| is_position_line(l));
    let items_end = position.unwrap_or(tail.len());
    let appointments = tail[..items_end]
        .iter()
        .filter_map(|(_, l)| strip_list_marker(l))
        .filter(|item| {
            let lower = item.to_lowercase();
            ["ответствен", "возлож", "назнач"]
                .iter()
                .any(|k| lower.contains(k))
        })
        .map(collapse_ws)
        .collect();
    let signatory = match position {
        Some(p) => trailing_person(tail[p].1).or_else(|| {
            tail.iter()
                .skip(p + 1)
                .take(8)
                .find_map(|(_, l)| line_person(l))
        }),
        None => tail.iter().find_map(|(_, l)| line_person(l)),
    };
    Some(Order {
        issuer,
        number,
        date,
        place,
        signatory,
        appointments,
    })
}

/// «№ 01-04-181» from a line holding the sign.
fn order_number(line: &str) -> Option<String> {
    let (_, rest) = line.split_once('№')?;
    let token = rest
        .split_whitespace()
        .next()?
        .trim_end_matches([',', '.', ';', ':']);
    (!token.is_empty() && token.chars().any(|c| c.is_alphanumeric())).then(|| format!("№ {token}"))
}

/// Settlement prefixes of a place line: «г. Енисейск», «сл. Родионово-…».
const PLACE_PREFIXES: &[&str] = &[
    "г.",
    "гор.",
    "город",
    "с.",
    "сл.",
    "п.",
    "пос.",
    "поселок",
    "посёлок",
    "пгт",
    "р.п.",
    "рп",
    "ст.",
    "ст-ца",
    "станица",
    "х.",
    "хутор",
    "д.",
    "деревня",
    "село",
    "аул",
    "слобода",
];

fn is_place(line: &str) -> bool {
    let line = line.trim();
    line.chars().count() <= 60
        && PLACE_PREFIXES.iter().any(|prefix| {
            line.strip_prefix(prefix).is_some_and(|rest| {
                let rest = rest.trim_start_matches([' ', '.']);
                rest.starts_with(char::is_uppercase)
            })
        })
}

const MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// The first date in `line`: «01.07.2022», «от 09.03.2022 г.», «1 июля 2022».
pub(crate) fn find_date(line: &str) -> Option<NaiveDate> {
    let chars: Vec<char> = line.chars().collect();
    let number = |start: usize, min: usize, max: usize| -> Option<(u32, usize)> {
        let len = chars
            .iter()
            .skip(start)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if len < min || len > max {
            return None;
        }
        let value: String = chars.get(start..start + len)?.iter().collect();
        Some((value.parse().ok()?, start + len))
    };
    for start in 0..chars.len() {
        if !chars[start].is_ascii_digit() || (start > 0 && chars[start - 1].is_ascii_digit()) {
            continue;
        }
        let Some((day, i)) = number(start, 1, 2) else {
            continue;
        };
        if chars.get(i) != Some(&'.') {
            continue;
        }
        let Some((month, j)) = number(i + 1, 1, 2) else {
            continue;
        };
        if chars.get(j) != Some(&'.') {
            continue;
        }
        let Some((year, _)) = number(j + 1, 4, 4) else {
            continue;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day) {
            return Some(date);
        }
    }
    // «1 июля 2022 г.», «"01" июля 2022»
    let words: Vec<String> = norm(line).split(' ').map(str::to_string).collect();
    words.windows(3).find_map(|w| {
        let day: u32 = w[0].parse().ok()?;
        let month = MONTHS
            .iter()
            .position(|m| w[1].starts_with(m) && (*m != "ма" || w[1] == "мая" || w[1] == "май"))?;
        let year: i32 = w[2].parse().ok()?;
        NaiveDate::from_ymd_opt(year, u32::try_from(month + 1).ok()?, day)
    })
}

/// Digits and letters as separate words: «на 2023г.» → на, 2023, г.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in norm(text).chars() {
        if c == ' ' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let is_digit = c.is_ascii_digit();
        if !current.is_empty() && is_digit != digits {
            out.push(std::mem::take(&mut current));
        }
        digits = is_digit;
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The period a title or an order names: «на 2022-2023 уч. год» → the school
/// year, «на 2022 год» / «на 2023г.» → the calendar year, «2023-2025 годы»
/// → the years.
pub(crate) fn document_window(text: &str) -> Option<Window> {
    let words = words(text);
    let year = |w: &str| -> Option<i32> {
        let y: i32 = w.parse().ok()?;
        (w.len() == 4 && (1990..=2100).contains(&y)).then_some(y)
    };
    for i in 0..words.len() {
        let Some(first) = year(&words[i]) else {
            continue;
        };
        let mut j = i + 1;
        let second = words
            .get(j)
            .and_then(|w| year(w))
            .filter(|y| *y > first && *y <= first + 10);
        if second.is_some() {
            j += 1;
        }
        let Some(unit) = words.get(j) else {
            continue;
        };
        if unit.starts_with("уч") {
            let end = second.unwrap_or(first + 1);
            return Window::new(
                NaiveDate::from_ymd_opt(first, 9, 1)?,
                NaiveDate::from_ymd_opt(end, 8, 31)?,
            );
        }
        if matches!(
            unit.as_str(),
            "г" | "гг" | "год" | "года" | "годы" | "годов" | "году"
        ) {
            return Window::new(
                NaiveDate::from_ymd_opt(first, 1, 1)?,
                NaiveDate::from_ymd_opt(second.unwrap_or(first), 12, 31)?,
            );
        }
    }
    None
}

/// The level named next to the document noun («муниципальная дорожная
/// карта», «региональный план»).
fn level_next_to_noun(text: &str) -> Option<Level> {
    let n = norm(text);
    let words: Vec<&str> = n.split(' ').collect();
    words.windows(2).find_map(|w| {
        let noun = w[1].starts_with("дорожн") || w[1].starts_with("план");
        if !noun {
            None
        } else if w[0].starts_with("муниципальн") {
            Some(Level::Municipal)
        } else if w[0].starts_with("региональн") {
            Some(Level::Regional)
        } else if w[0].starts_with("школьн") {
            Some(Level::School)
        } else {
            None
        }
    })
}

/// The level of the road map from its title, then from the order's text,
/// then from who issues it; municipal by default (an МОУО order).
pub(crate) fn detect_level(title: &str, preamble: &str) -> Level {
    if let Some(level) = level_next_to_noun(title).or_else(|| level_next_to_noun(preamble)) {
        return level;
    }
    let t = norm(title);
    let first = |stem: &str| t.find(stem);
    match (first("муниципальн"), first("региональн")) {
        (Some(m), Some(r)) => {
            return if r < m {
                Level::Regional
            } else {
                Level::Municipal
            };
        }
        (Some(_), None) => return Level::Municipal,
        (None, Some(_)) => return Level::Regional,
        (None, None) => {}
    }
    let school_cues = [
        "дорожная карта школы",
        "дорожная карта мбоу",
        "дорожная карта маоу",
        "дорожная карта мкоу",
        "дорожная карта гбоу",
        "образовательной организации",
    ];
    if school_cues.iter().any(|c| t.contains(c)) {
        return Level::School;
    }
    let p = norm(preamble);
    if p.contains("министерств") && !p.contains("управлени") && !p.contains("отдел образования")
    {
        return Level::Regional;
    }
    Level::Municipal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect()
    }

    #[test]
    fn order_fields() {
        let text = "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ\nП Р И К А З\n«1» июля 2022 г.\nг. Енисейск\n№ 12-о\n\
                    ПРИКАЗЫВАЮ:\n1. Утвердить план.\n2. Назначить ответственным Иванова И.И.\n\
                    Начальник управления ____ И.И. Петров";
        let order = parse_order(&lines(text)).expect("order");
        assert_eq!(order.issuer.as_deref(), Some("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ"));
        assert_eq!(order.number.as_deref(), Some("№ 12-о"));
        assert_eq!(order.date, NaiveDate::from_ymd_opt(2022, 7, 1));
        assert_eq!(order.place.as_deref(), Some("г. Енисейск"));
        assert_eq!(order.signatory.as_deref(), Some("И.И. Петров"));
        assert_eq!(
            order.appointments,
            vec!["Назначить ответственным Иванова И.И."]
        );
        assert_eq!(parse_order(&lines("Просто текст")), None);
    }

    #[test]
    fn windows_from_titles() {
        let w = |s| document_window(s).map(|w| (w.from.to_string(), w.to.to_string()));
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            w("обучения на 2022-2023 уч. год"),
            pair("2022-09-01", "2023-08-31")
        );
        assert_eq!(
            w("на 2022/2023 учебный год"),
            pair("2022-09-01", "2023-08-31")
        );
        assert_eq!(
            w("имеющим низкие, на 2022 год, расположенным"),
            pair("2022-01-01", "2022-12-31")
        );
        assert_eq!(w("ШНОР и ШССУ на 2023г."), pair("2023-01-01", "2023-12-31"));
        assert_eq!(w("на 2023-2025 годы"), pair("2023-01-01", "2025-12-31"));
        assert_eq!(w("проект 500+"), None);
    }

    #[test]
    fn titles_and_levels() {
        assert!(is_title("Муниципальная дорожная карта по реализации"));
        assert!(is_title("Дорожная карта\nУправления образования"));
        assert!(is_title("План мероприятий по повышению"));
        assert!(!is_title("Об утверждении Муниципальной дорожной карты"));
        assert!(!is_title("Дорожная карта является неотъемлемой частью"));
        assert_eq!(
            detect_level("Муниципальная дорожная карта", ""),
            Level::Municipal
        );
        assert_eq!(
            detect_level("Региональная дорожная карта", ""),
            Level::Regional
        );
        assert_eq!(
            detect_level("Школьная дорожная карта МБОУ СОШ № 1", ""),
            Level::School
        );
        assert_eq!(
            detect_level("Дорожная карта МБОУ СОШ № 1", ""),
            Level::School
        );
        assert_eq!(
            detect_level(
                "Дорожная карта по поддержке школ",
                "Утвердить муниципальную «Дорожную карту»"
            ),
            Level::Municipal
        );
        assert_eq!(
            detect_level("Дорожная карта по поддержке школ", ""),
            Level::Municipal
        );
    }
}
