//! A small tokenizer: splits a cell into words, numbers, dotted dates and
//! punctuation. It works on `char`s only, so Cyrillic text can never be cut
//! in the middle of a code point.

/// One lexical unit of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// Letters only, lower-cased, with `ё` folded into `е`.
    Word(String),
    /// A run of ASCII digits. `digits` keeps the length so that `2022` and
    /// `22` stay distinguishable; `value` saturates instead of overflowing.
    Number {
        value: u32,
        digits: usize,
    },
    /// `dd.mm`, `dd.mm.yy` or `dd.mm.yyyy`.
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// Any hyphen or dash: `-`, `–`, `—` and their Unicode relatives.
    Dash,
    Slash,
    Comma,
    /// Sentence-level separators: `.`, `;`, `:`.
    Stop,
    /// Anything else (brackets, quotes, symbols): carries no meaning here.
    Other,
}

pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        let c = chars[pos];
        if c.is_whitespace() {
            pos += 1;
        } else if c.is_ascii_digit() {
            let (token, next) = read_number_or_date(&chars, pos);
            tokens.push(token);
            pos = next;
        } else if c.is_alphabetic() {
            let (word, next) = read_word(&chars, pos);
            tokens.push(Token::Word(word));
            pos = next;
        } else {
            tokens.push(punctuation(c));
            pos += 1;
        }
    }
    tokens
}

fn punctuation(c: char) -> Token {
    match c {
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => Token::Dash,
        '/' => Token::Slash,
        ',' => Token::Comma,
        '.' | ';' | ':' | '…' => Token::Stop,
        _ => Token::Other,
    }
}

fn read_word(chars: &[char], start: usize) -> (String, usize) {
    let mut word = String::new();
    let mut pos = start;
    while let Some(&c) = chars.get(pos) {
        if !c.is_alphabetic() {
            break;
        }
        for lower in c.to_lowercase() {
            word.push(if lower == 'ё' { 'е' } else { lower });
        }
        pos += 1;
    }
    (word, pos)
}

/// Reads the run of ASCII digits starting at `start`:
/// returns its saturated value, its length and the position after it.
fn read_digits(chars: &[char], start: usize) -> (u32, usize, usize) {
    let mut value: u32 = 0;
    let mut pos = start;
    // `to_digit(10)` accepts ASCII digits only, as the tokenizer expects.
    while let Some(digit) = chars.get(pos).and_then(|c| c.to_digit(10)) {
        value = value.saturating_mul(10).saturating_add(digit);
        pos += 1;
    }
    (value, pos - start, pos)
}

fn is_digit_at(chars: &[char], pos: usize) -> bool {
    chars.get(pos).is_some_and(char::is_ascii_digit)
}

/// A number, or a dotted date when the digits are followed by `.dd`.
fn read_number_or_date(chars: &[char], start: usize) -> (Token, usize) {
    let (value, digits, after) = read_digits(chars, start);
    let number = Token::Number { value, digits };
    let looks_like_day = digits <= 2;
    if !looks_like_day || chars.get(after) != Some(&'.') || !is_digit_at(chars, after + 1) {
        return (number, after);
    }
    let (month, month_digits, after_month) = read_digits(chars, after + 1);
    if month_digits > 2 {
        return (number, after);
    }
    let day = value;
    let mut year = None;
    let mut end = after_month;
    if chars.get(after_month) == Some(&'.') && is_digit_at(chars, after_month + 1) {
        let (raw_year, year_digits, after_year) = read_digits(chars, after_month + 1);
        // Only two- and four-digit years are dates; anything else is left
        // for the parser to reject as an unknown number.
        let parsed = match year_digits {
            4 => i32::try_from(raw_year).ok(),
            2 => i32::try_from(raw_year).ok().map(|y| 2000 + y),
            _ => None,
        };
        if parsed.is_some() {
            year = parsed;
            end = after_year;
        }
    }
    (Token::Date { day, month, year }, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Token {
        Token::Word(w.to_string())
    }

    #[test]
    fn splits_glued_number_and_word() {
        assert_eq!(
            tokenize("до 15апреля"),
            vec![
                word("до"),
                Token::Number {
                    value: 15,
                    digits: 2
                },
                word("апреля")
            ]
        );
    }

    #[test]
    fn reads_dotted_dates() {
        assert_eq!(
            tokenize("01.09.2022г."),
            vec![
                Token::Date {
                    day: 1,
                    month: 9,
                    year: Some(2022)
                },
                word("г"),
                Token::Stop
            ]
        );
        assert_eq!(
            tokenize("до 01.06"),
            vec![
                word("до"),
                Token::Date {
                    day: 1,
                    month: 6,
                    year: None
                }
            ]
        );
        assert_eq!(
            tokenize("1.9.22"),
            vec![Token::Date {
                day: 1,
                month: 9,
                year: Some(2022)
            }]
        );
    }

    #[test]
    fn folds_case_and_yo_and_dashes() {
        assert_eq!(
            tokenize("Ёжик—ЕЖИК – -"),
            vec![
                word("ежик"),
                Token::Dash,
                word("ежик"),
                Token::Dash,
                Token::Dash
            ]
        );
    }

    #[test]
    fn huge_numbers_saturate() {
        assert_eq!(
            tokenize("99999999999999999999"),
            vec![Token::Number {
                value: u32::MAX,
                digits: 20
            }]
        );
    }
}
