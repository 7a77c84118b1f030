//! Small text helpers shared by the sources and the analysis. All work on
//! `char`s, never on byte offsets, so Cyrillic text cannot be split.

/// Lower case, `ё` → `е`, punctuation (except `№`) → space, whitespace
/// collapsed. Used to compare headers and keywords.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        if c.is_alphanumeric() || c == '№' {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Every run of whitespace (newlines, no-break spaces) becomes one space.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes markdown decoration: leading `#`s, surrounding `*`/`_`.
/// Returns the clean text and whether there was any (a heading or
/// emphasised text).
pub(crate) fn strip_decoration(s: &str) -> (String, bool) {
    let mut text = s.trim();
    let mut decorated = false;
    let without_hashes = text.trim_start_matches('#');
    if without_hashes.len() != text.len() && without_hashes.starts_with([' ', '*', '_']) {
        text = without_hashes.trim();
        decorated = true;
    }
    loop {
        let inner = strip_pair(text, "**")
            .or_else(|| strip_pair(text, "__"))
            .or_else(|| strip_pair(text, "*"))
            .or_else(|| strip_pair(text, "_"));
        match inner {
            Some(inner) => {
                text = inner.trim();
                decorated = true;
            }
            None => break,
        }
    }
    (text.to_string(), decorated)
}

fn strip_pair<'a>(s: &'a str, marker: &str) -> Option<&'a str> {
    let inner = s.strip_prefix(marker)?.strip_suffix(marker)?;
    (!inner.trim().is_empty()).then_some(inner)
}

/// Removes HTML-looking tags (`<u>`, `</i>`, `<br/>`) and decodes the
/// common entities: real text files often carry such fragments.
pub(crate) fn strip_inline_html(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            if let Some(end) = tag_end(&chars, i) {
                let name: String = chars[i + 1..end]
                    .iter()
                    .skip_while(|c| **c == '/')
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(name.as_str(), "br" | "p" | "li" | "div") {
                    out.push(' ');
                }
                i = end + 1;
                continue;
            }
        } else if c == '&'
            && let Some((decoded, len)) = entity_at(&chars, i)
        {
            out.push(decoded);
            i += len;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Index of `>` closing a tag that starts at `start` (`<` followed by an
/// ASCII letter or `/`), if the tag is short and on one line.
fn tag_end(chars: &[char], start: usize) -> Option<usize> {
    let next = *chars.get(start + 1)?;
    let first = if next == '/' {
        *chars.get(start + 2)?
    } else {
        next
    };
    if !first.is_ascii_alphabetic() {
        return None;
    }
    chars
        .iter()
        .enumerate()
        .skip(start + 1)
        .take(200)
        .find(|(_, c)| **c == '>' || **c == '<' || **c == '\n')
        .and_then(|(i, c)| (*c == '>').then_some(i))
}

fn entity_at(chars: &[char], start: usize) -> Option<(char, usize)> {
    let end = chars
        .iter()
        .enumerate()
        .skip(start + 1)
        .take(10)
        .find(|(_, c)| **c == ';')
        .map(|(i, _)| i)?;
    let name: String = chars[start + 1..end].iter().collect();
    let decoded = match name.as_str() {
        "nbsp" => ' ',
        "laquo" => '«',
        "raquo" => '»',
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "numero" => '№',
        _ => {
            let code = name.strip_prefix('#')?;
            let value = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(value)?
        }
    };
    Some((decoded, end - start + 1))
}

/// Appends the text of a row continued after a page break: with a space,
/// or directly when `prev` ends with a word broken by a hyphen
/// («Информационно-» + «аналитическая»).
pub(crate) fn join_continuation(prev: &str, next: &str) -> String {
    let prev = prev.trim_end();
    let next = next.trim();
    if next.is_empty() {
        return prev.to_string();
    }
    if prev.is_empty() {
        return next.to_string();
    }
    let mut tail = prev.chars().rev();
    let hyphen_word = tail.next() == Some('-') && tail.next().is_some_and(char::is_alphabetic);
    let lower_next = next.chars().next().is_some_and(char::is_lowercase);
    if hyphen_word && lower_next {
        format!("{prev}{next}")
    } else {
        format!("{prev} {next}")
    }
}

/// «1», «1.1», «14.», «2)»: an activity number and nothing else.
pub(crate) fn is_pure_number(s: &str) -> bool {
    let s = s.trim().trim_end_matches(['.', ')']);
    !s.is_empty()
        && s.split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// The first character is a lower-case letter.
pub(crate) fn starts_lowercase(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// A leading roman numeral followed by `.` or `)` (section numbering
/// «I.», «IV)»), returning the rest.
pub(crate) fn strip_roman(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let digits = s
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'І' | 'Х'))
        .count();
    if digits == 0 {
        return None;
    }
    let rest: &str = s
        .char_indices()
        .nth(digits)
        .map_or("", |(i, _)| s.get(i..).unwrap_or(""));
    let rest = rest.strip_prefix(['.', ')'])?;
    rest.starts_with(char::is_whitespace).then_some(rest.trim())
}

/// Splits a leading list marker («-», «•», «1.», «2)», «4.1») off a line.
/// Returns the item text when the line is a list item.
pub(crate) fn strip_list_marker(line: &str) -> Option<&str> {
    let line = line.trim();
    for bullet in ['-', '•', '–', '—', '*', '·', '●', '○', '▪', '✓', '\u{f0b7}'] {
        if let Some(rest) = line.strip_prefix(bullet) {
            let rest = rest.trim();
            return (!rest.is_empty()).then_some(rest);
        }
    }
    let digits: usize = line
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .map(char::len_utf8)
        .sum();
    let number = line.get(..digits)?;
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = line.get(digits..)?;
    let rest = rest.strip_prefix(')').unwrap_or(rest);
    let separated = number.ends_with('.') || rest.starts_with(char::is_whitespace);
    let first_segment = number.split('.').next().map_or(0, str::len);
    let rest = rest.trim();
    (separated && first_segment <= 3 && number.len() <= 8 && !rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_folds_case_punctuation_and_yo() {
        assert_eq!(norm("  Сроки  реализации: "), "сроки реализации");
        assert_eq!(norm("№ п/п"), "№ п п");
        assert_eq!(norm("Ответственный (-ые)"), "ответственный ые");
        assert_eq!(norm("Ещё"), "еще");
    }

    #[test]
    fn decoration_is_removed() {
        assert_eq!(
            strip_decoration("### *Трек 1 - Адресная*"),
            ("Трек 1 - Адресная".to_string(), true)
        );
        assert_eq!(
            strip_decoration("**Планируемый результат:**"),
            ("Планируемый результат:".to_string(), true)
        );
        assert_eq!(strip_decoration("- пункт"), ("- пункт".to_string(), false));
        assert_eq!(strip_decoration("*"), ("*".to_string(), false));
    }

    #[test]
    fn inline_html_is_cleaned() {
        assert_eq!(strip_inline_html("<u>ссылка</u>"), "ссылка");
        assert_eq!(strip_inline_html("&laquo;500+&raquo;&nbsp;x"), "«500+» x");
        assert_eq!(strip_inline_html("a < b & c"), "a < b & c");
        assert_eq!(strip_inline_html("&#1046;&#x416;"), "ЖЖ");
    }

    #[test]
    fn hyphenated_words_are_joined() {
        assert_eq!(
            join_continuation("Информационно-", "аналитическая справка"),
            "Информационно-аналитическая справка"
        );
        assert_eq!(
            join_continuation("(далее – ИС", "МЭДК)."),
            "(далее – ИС МЭДК)."
        );
        assert_eq!(
            join_continuation("семинар -", "вебинар"),
            "семинар - вебинар"
        );
        assert_eq!(join_continuation("", "x"), "x");
    }

    #[test]
    fn numbers_and_markers() {
        assert!(is_pure_number("1"));
        assert!(is_pure_number("1.1."));
        assert!(is_pure_number("14)"));
        assert!(!is_pure_number("1. Действия"));
        assert!(!is_pure_number(""));
        assert_eq!(strip_roman("IV. Мониторинг"), Some("Мониторинг"));
        assert_eq!(strip_roman("Иван"), None);
        assert_eq!(strip_roman("I.x"), None);
        assert_eq!(strip_list_marker("- пункт"), Some("пункт"));
        assert_eq!(
            strip_list_marker("2.1 координировать"),
            Some("координировать")
        );
        assert_eq!(strip_list_marker("3) итог"), Some("итог"));
        assert_eq!(strip_list_marker("2022 год"), None);
        assert_eq!(strip_list_marker("Текст"), None);
        assert_eq!(strip_list_marker("01.07.2022"), None);
    }
}
