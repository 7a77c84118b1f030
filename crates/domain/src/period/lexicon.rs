//! Word lists: which lower-cased word forms mean a month, a weekday, a unit
//! of time and so on. Russian inflects nouns, so most entries are stems.

use chrono::Weekday;

/// Month number (1–12) for any case form or common abbreviation of a month.
pub(crate) fn month(word: &str) -> Option<u32> {
    const STEMS: [(&str, u32); 11] = [
        ("январ", 1),
        ("феврал", 2),
        ("март", 3),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    ];
    const SHORT: [(&str, u32); 14] = [
        ("янв", 1),
        ("фев", 2),
        ("февр", 2),
        ("мар", 3),
        ("апр", 4),
        ("май", 5),
        ("мая", 5),
        ("мае", 5),
        ("маю", 5),
        ("маем", 5),
        ("авг", 8),
        ("сен", 9),
        ("сент", 9),
        ("окт", 10),
    ];
    const SHORT_TAIL: [(&str, u32); 3] = [("нояб", 11), ("ноя", 11), ("дек", 12)];
    let exact = SHORT.iter().chain(SHORT_TAIL.iter());
    if let Some(&(_, number)) = exact.clone().find(|(form, _)| *form == word) {
        return Some(number);
    }
    // A stem plus at most a three-letter ending (сентябрь, сентябрём...).
    let length = word.chars().count();
    STEMS
        .iter()
        .find(|(stem, _)| word.starts_with(stem) && length <= stem.chars().count() + 3)
        .map(|&(_, number)| number)
}

/// A weekday named by `word`, and whether the form is a plural dative
/// (`по вторникам`), which by itself already means "every Tuesday".
pub(crate) fn weekday(word: &str) -> Option<(Weekday, bool)> {
    const STEMS: [(&str, Weekday); 6] = [
        ("понедельник", Weekday::Mon),
        ("вторник", Weekday::Tue),
        ("четверг", Weekday::Thu),
        ("пятниц", Weekday::Fri),
        ("суббот", Weekday::Sat),
        ("воскресень", Weekday::Sun),
    ];
    // "сред" alone would also match "среди" (among), so Wednesday is exact.
    const WEDNESDAY: [&str; 6] = ["среда", "среду", "среды", "среде", "средой", "средам"];
    let plural = word.ends_with("ам") || word.ends_with("ям");
    if WEDNESDAY.contains(&word) {
        return Some((Weekday::Wed, plural));
    }
    STEMS
        .iter()
        .find(|(stem, _)| word.starts_with(stem))
        .map(|&(_, day)| (day, plural))
}

/// Units of time that recurrences and ordinal periods are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Week,
    Month,
    Quarter,
    Term,
    HalfYear,
    Year,
}

pub(crate) fn unit(word: &str) -> Option<Unit> {
    const TERM: [&str; 7] = [
        "четверть",
        "четверти",
        "четвертей",
        "четвертям",
        "четвертями",
        "четвертях",
        "четвертью",
    ];
    if TERM.contains(&word) {
        Some(Unit::Term)
    } else if is_year_word(word) {
        Some(Unit::Year)
    } else if word.starts_with("недел") {
        Some(Unit::Week)
    } else if word.starts_with("месяц") {
        Some(Unit::Month)
    } else if word.starts_with("квартал") {
        Some(Unit::Quarter)
    } else if word.starts_with("полугоди") {
        Some(Unit::HalfYear)
    } else {
        None
    }
}

/// `год` and its abbreviations as they follow a year number.
pub(crate) fn is_year_word(word: &str) -> bool {
    matches!(
        word,
        "г" | "гг" | "год" | "года" | "году" | "годы" | "годов" | "годах" | "годом"
    )
}

/// Words marking a school (academic) year: `уч. год`, `учебного года`.
pub(crate) fn is_school_word(word: &str) -> bool {
    word == "уч" || word.starts_with("учеб")
}

/// Ordinal 1–4 written as a Roman numeral or a Russian ordinal word.
pub(crate) fn ordinal_word(word: &str) -> Option<u32> {
    const ROMAN: [(&str, u32); 4] = [("i", 1), ("ii", 2), ("iii", 3), ("iv", 4)];
    const FOURTH: [&str; 7] = [
        "четвертый",
        "четвертая",
        "четвертое",
        "четвертого",
        "четвертой",
        "четвертом",
        "четвертую",
    ];
    if let Some(&(_, n)) = ROMAN.iter().find(|(r, _)| *r == word) {
        return Some(n);
    }
    if FOURTH.contains(&word) {
        return Some(4);
    }
    if word.starts_with("перв") {
        Some(1)
    } else if word.starts_with("втор") && weekday(word).is_none() {
        Some(2)
    } else if word.starts_with("трет") {
        Some(3)
    } else {
        None
    }
}

/// Short endings written after an ordinal number: `1-е`, `2-й`, `3-го`.
pub(crate) fn is_ordinal_suffix(word: &str) -> bool {
    matches!(
        word,
        "е" | "й" | "я" | "го" | "ое" | "ий" | "ая" | "ой" | "ого" | "м" | "ом"
    )
}

/// Words that name the resulting plan, schedule or timetable.
pub(crate) fn is_plan_word(word: &str) -> bool {
    matches!(
        word,
        "план"
            | "плана"
            | "плану"
            | "планом"
            | "планы"
            | "планам"
            | "планами"
            | "планов"
    ) || word.starts_with("график")
        || word.starts_with("расписани")
        || word.starts_with("циклограм")
}

/// Words that mean "on request / when needed".
pub(crate) fn is_request_word(word: &str) -> bool {
    word.starts_with("запрос")
        || word.starts_with("заявк")
        || word.starts_with("обращени")
        || word == "необходимости"
}

/// Words that mean the whole period on their own.
pub(crate) fn is_continuous_word(word: &str) -> bool {
    matches!(
        word,
        "постоянно" | "круглогодично" | "ежедневно" | "систематически" | "непрерывно"
    )
}

/// Nouns that may follow "в течение" / "на протяжении" and refer to the
/// road map's own period (or its school year).
pub(crate) fn is_scope_word(word: &str) -> bool {
    is_year_word(word)
        || is_school_word(word)
        || matches!(
            word,
            "всего"
                | "всей"
                | "весь"
                | "периода"
                | "период"
                | "срока"
                | "реализации"
                | "действия"
                | "дорожной"
                | "карты"
                | "программы"
                | "проекта"
        )
}

/// Words that carry no meaning for the period itself.
pub(crate) fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "в" | "во" | "на" | "за" | "и" | "а" | "также" | "г" | "гг" | "срок" | "сроки"
    )
}
