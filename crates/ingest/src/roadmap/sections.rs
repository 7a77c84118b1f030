//! Recognising the structure around tables: section headings («Трек 1 - …»,
//! «I. Организационно-…», «Раздел 2.») and labelled lists («Цели:»,
//! «Задачи:», «Ожидаемые результаты:», «Планируемый результат:»).

use super::normalize::{norm, strip_roman};

/// Which list a label opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Goals,
    Tasks,
    Results,
}

/// «Задачи:» → (Tasks, ""); «Задача: повысить …» → (Tasks, "повысить …").
/// A label is a list word, at most three more words, then a colon, or the
/// list word alone on its line.
pub(crate) fn label(line: &str) -> Option<(ListKind, String)> {
    let (head, rest) = match line.split_once(':') {
        Some((head, rest)) => (head, rest.trim()),
        None => (line, ""),
    };
    let head = norm(head);
    let words: Vec<&str> = head.split(' ').collect();
    let first = *words.first()?;
    let kind = match first {
        "цели" | "цель" => ListKind::Goals,
        "задачи" | "задача" => ListKind::Tasks,
        "результаты" | "результат" => ListKind::Results,
        "ожидаемые" | "ожидаемый" | "планируемые" | "планируемый"
            if words.get(1).is_some_and(|w| w.starts_with("результат")) =>
        {
            ListKind::Results
        }
        _ => return None,
    };
    let has_colon = line.contains(':');
    if (has_colon && words.len() <= 4) || (!has_colon && words.len() <= 2) {
        Some((kind, rest.to_string()))
    } else {
        None
    }
}

/// Words that start a section heading when followed by a number.
const SECTION_WORDS: &[&str] = &[
    "трек",
    "раздел",
    "направление",
    "модуль",
    "блок",
    "этап",
    "подпрограмма",
];

/// «Трек 2 - …», «Раздел 3.», «IV. Мониторинг …».
pub(crate) fn has_section_marker(text: &str) -> bool {
    if strip_roman(text).is_some_and(|rest| rest.starts_with(char::is_uppercase)) {
        return true;
    }
    let n = norm(text);
    let mut words = n.split(' ');
    let (Some(first), second) = (words.next(), words.next()) else {
        return false;
    };
    SECTION_WORDS.contains(&first)
        && second.is_some_and(|w| {
            w.chars().all(|c| c.is_ascii_digit()) || w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
        })
}

/// A paragraph between tables that starts a section: marked as a section
/// («Трек 1 - …») or a short emphasised line that is not a label.
pub(crate) fn is_section_heading(text: &str, emphasis: bool) -> bool {
    let text = text.trim();
    let short = !text.is_empty() && text.chars().count() <= 300;
    short && !text.ends_with(':') && label(text).is_none() && (emphasis || has_section_marker(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(label("Задачи:"), Some((ListKind::Tasks, String::new())));
        assert_eq!(label("Цели"), Some((ListKind::Goals, String::new())));
        assert_eq!(
            label("Задача: повысить качество"),
            Some((ListKind::Tasks, "повысить качество".to_string()))
        );
        assert_eq!(
            label("Ожидаемый результат:"),
            Some((ListKind::Results, String::new()))
        );
        assert_eq!(
            label("Планируемые результаты:"),
            Some((ListKind::Results, String::new()))
        );
        assert_eq!(
            label("Цель дорожной карты:"),
            Some((ListKind::Goals, String::new()))
        );
        assert_eq!(label("Задачи развития системы образования района"), None);
        assert_eq!(label("Планируемые мероприятия:"), None);
    }

    #[test]
    fn headings() {
        assert!(is_section_heading("Трек 2 - Организация работы", false));
        assert!(is_section_heading("Трек 2.", false));
        assert!(is_section_heading("IV. Мониторинг", false));
        assert!(is_section_heading("Методическое обеспечение", true));
        assert!(!is_section_heading("Методическое обеспечение", false));
        assert!(!is_section_heading("Задачи:", true));
        assert!(!is_section_heading("Трековая система", false));
    }
}
