//! Splitting a «Ответственный» cell into people and bodies.
//!
//! «Бабкина Н.А. Зырянова М.А.» holds two people; «Бабкина Н.А. Руководители
//! ОУ» a person and a body; «Отдел общего образования. Руководители ОУ» two
//! bodies. Lists separated by commas, semicolons or lines are split, but never
//! inside parentheses or quotes.

/// Position words that start a body and are never a surname.
const BODY_STARTERS: &[&str] = &[
    "руководител",
    "отдел",
    "член",
    "заместител",
    "директор",
    "учител",
    "педагог",
    "классн",
    "куратор",
    "тьютор",
    "специалист",
    "методист",
    "координатор",
    "начальник",
    "заведующ",
    "председател",
    "глава",
    "инспектор",
    "муниципальн",
    "школьн",
];

/// Words that are never a surname before initials («Начальник Н.А.»).
const NOT_SURNAMES: &[&str] = &["администрац", "управлени", "приказ", "утвержда", "министр"];

/// Splits a responsible cell into people and bodies, as written.
pub(crate) fn split_responsible(raw: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for piece in split_top_level(raw) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        match pieces.last_mut() {
            Some(previous) if starts_with_participle(piece) => {
                previous.push_str(", ");
                previous.push_str(piece);
            }
            _ => pieces.push(piece.to_string()),
        }
    }
    pieces.iter().flat_map(|p| split_piece(p)).collect()
}

/// Splits on `\n`, `;`, `,` outside parentheses and quotes.
fn split_top_level(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quotes = 0usize;
    let mut straight_quote = false;
    for c in raw.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '«' | '“' | '„' => quotes += 1,
            '»' | '”' => quotes = quotes.saturating_sub(1),
            '"' => straight_quote = !straight_quote,
            _ => {}
        }
        let nested = depth > 0 || quotes > 0 || straight_quote;
        if matches!(c, '\n' | ';' | ',') && !nested {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out
}

/// «показавших низкие результаты» continues the previous item.
fn starts_with_participle(piece: &str) -> bool {
    let word: String = piece
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    word.chars().next().is_some_and(char::is_lowercase)
        && ["ших", "щих", "мых", "нных", "тых"]
            .iter()
            .any(|end| word.ends_with(end))
}

fn split_piece(piece: &str) -> Vec<String> {
    let tokens: Vec<&str> = piece.split_whitespace().collect();
    let mut entries: Vec<String> = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        if depth == 0 {
            if let Some(len) = person_at(&tokens, i) {
                flush(&mut body, &mut entries, false);
                let person = tokens[i..i + len].join(" ");
                push_entry(&mut entries, &person, true);
                i += len;
                continue;
            }
            if starts_new_body(&tokens, i, &body) {
                flush(&mut body, &mut entries, false);
            }
        }
        let token = tokens[i];
        body.push(token);
        for c in token.chars() {
            match c {
                '(' | '«' => depth += 1,
                ')' | '»' => depth = (depth - 1).max(0),
                _ => {}
            }
        }
        if depth == 0 && ends_sentence(token, tokens.get(i + 1).copied()) {
            flush(&mut body, &mut entries, false);
        }
        i += 1;
    }
    flush(&mut body, &mut entries, false);
    entries
}

fn flush(body: &mut Vec<&str>, entries: &mut Vec<String>, person: bool) {
    if !body.is_empty() {
        let text = body.join(" ");
        push_entry(entries, &text, person);
        body.clear();
    }
}

fn push_entry(entries: &mut Vec<String>, text: &str, person: bool) {
    let mut text = text.trim().trim_end_matches([',', ';', ':']).trim_end();
    if !person {
        text = text.trim_end_matches('.').trim_end();
    }
    if text.is_empty() || matches!(text, "-" | "–" | "—") {
        return;
    }
    entries.push(text.to_string());
}

/// «образования.» followed by a capitalised word ends a body.
fn ends_sentence(token: &str, next: Option<&str>) -> bool {
    let Some(word) = token.strip_suffix('.') else {
        return false;
    };
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let lower_word = word.chars().skip(1).all(|c| !c.is_uppercase());
    letters >= 3 && lower_word && next.is_some_and(|n| n.starts_with(char::is_uppercase))
}

/// A capitalised position word after a lower-case word starts a new body:
/// «Отдел общего образования Руководители ОУ».
fn starts_new_body(tokens: &[&str], i: usize, body: &[&str]) -> bool {
    let Some(previous) = body.last() else {
        return false;
    };
    tokens[i].starts_with(char::is_uppercase)
        && is_body_word(tokens[i])
        && previous.starts_with(char::is_lowercase)
}

fn is_body_word(token: &str) -> bool {
    let lower = token.to_lowercase();
    BODY_STARTERS.iter().any(|stem| lower.starts_with(stem))
}

fn is_position_word(token: &str) -> bool {
    let lower = token.to_lowercase();
    is_body_word(token) || NOT_SURNAMES.iter().any(|stem| lower.starts_with(stem))
}

/// Length in tokens of a person starting at `i`: «Бабкина Н.А.»,
/// «Е.К. Бурбукина», «С. В. Датченко».
fn person_at(tokens: &[&str], i: usize) -> Option<usize> {
    let first = tokens.get(i)?;
    if is_surname(first)
        && !is_position_word(first)
        && let Some(k) = initials_run(tokens, i + 1)
    {
        return Some(1 + k);
    }
    let k = initials_run(tokens, i)?;
    let surname = tokens.get(i + k)?;
    (is_surname(surname) && !is_position_word(surname)).then_some(k + 1)
}

/// Number of tokens forming initials at `i` («Н.А.» or «Н.» «А.»).
fn initials_run(tokens: &[&str], i: usize) -> Option<usize> {
    let letters = initials_letters(tokens.get(i)?)?;
    if letters == 1
        && let Some(next) = tokens.get(i + 1)
        && initials_letters(next) == Some(1)
    {
        return Some(2);
    }
    Some(1)
}

/// How many initials a token holds: «Н.А.» → 2, «Н.А» → 2, «Н.» → 1.
fn initials_letters(token: &str) -> Option<usize> {
    let token = token.trim_end_matches([',', ';']);
    let chars: Vec<char> = token.chars().collect();
    let mut letters = 0;
    let mut dots = 0;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_uppercase() {
            return None;
        }
        letters += 1;
        match chars.get(i + 1) {
            Some('.') => {
                dots += 1;
                i += 2;
            }
            None => i += 1,
            Some(_) => return None,
        }
    }
    ((1..=3).contains(&letters) && dots >= 1).then_some(letters)
}

/// A capitalised word of letters: «Бабкина», «Римская-Корсакова».
fn is_surname(token: &str) -> bool {
    let word = token.trim_end_matches([',', ';', '.']);
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    first.is_uppercase()
        && rest.len() >= 2
        && rest.iter().all(|c| c.is_alphabetic() || *c == '-')
        && rest.first().is_some_and(|c| c.is_lowercase())
}

/// The person named in `line`, when the line is only a name (used for the
/// order's signatory).
pub(crate) fn line_person(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let len = person_at(&tokens, 0)?;
    (len == tokens.len()).then(|| tokens.join(" "))
}

/// A person at the end of `line` («Начальник ____ С.В. Датченко»).
pub(crate) fn trailing_person(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    (0..tokens.len()).find_map(|i| {
        let len = person_at(&tokens, i)?;
        (i + len == tokens.len()).then(|| tokens[i..].join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_responsible(s)
    }

    #[test]
    fn people_and_bodies() {
        assert_eq!(
            split("Бабкина Н.А. Зырянова М.А. Вагин И.В."),
            vec!["Бабкина Н.А.", "Зырянова М.А.", "Вагин И.В."]
        );
        assert_eq!(
            split("Бабкина Н.А. Руководители ОУ"),
            vec!["Бабкина Н.А.", "Руководители ОУ"]
        );
        assert_eq!(
            split("Руководители ОУ Яркова А.В."),
            vec!["Руководители ОУ", "Яркова А.В."]
        );
        assert_eq!(
            split("Отдел общего образования. Руководители ОУ"),
            vec!["Отдел общего образования", "Руководители ОУ"]
        );
        assert_eq!(
            split("Отдел общего образования Руководители ОУ"),
            vec!["Отдел общего образования", "Руководители ОУ"]
        );
        assert_eq!(split("Бабкина Н.А"), vec!["Бабкина Н.А"]);
        assert_eq!(
            split("Е.К. Бурбукина, С. В. Датченко"),
            vec!["Е.К. Бурбукина", "С. В. Датченко"]
        );
    }

    #[test]
    fn lists_and_parentheses() {
        assert_eq!(
            split(
                "Муниципальный орган управления образованием (далее-МОУО), муниципальный \
                 координатор, руководители общеобразовательных организаций, показавших низкие \
                 образовательные результаты (далее – ООНОР), кураторы"
            ),
            vec![
                "Муниципальный орган управления образованием (далее-МОУО)",
                "муниципальный координатор",
                "руководители общеобразовательных организаций, показавших низкие образовательные \
                 результаты (далее – ООНОР)",
                "кураторы"
            ]
        );
        assert_eq!(
            split("Руководители ОУ (участники проекта «500+»)"),
            vec!["Руководители ОУ (участники проекта «500+»)"]
        );
        assert_eq!(split("МОУО; ОО\nкураторы"), vec!["МОУО", "ОО", "кураторы"]);
        assert_eq!(split(" - "), Vec::<String>::new());
        assert_eq!(
            split("Управление образования Администрации района"),
            vec!["Управление образования Администрации района"]
        );
    }

    #[test]
    fn signatory_lines() {
        assert_eq!(line_person("Е.Н. Сovenko").as_deref(), Some("Е.Н. Сovenko"));
        assert_eq!(line_person("Начальник Управления"), None);
        assert_eq!(
            trailing_person("Начальник управления С.В. Датченко").as_deref(),
            Some("С.В. Датченко")
        );
    }
}
