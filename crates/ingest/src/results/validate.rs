//! Field validation of one student-level row. Pure: the same answer in every
//! pass, so a row that is valid in the first pass is valid in later ones.

use super::cell::Procedure;
use super::header::col;
use super::split::FIELDS;
use super::text::{Score, display, parse_score, parse_uint};

/// A syntactically valid row (school membership is checked separately).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawRow<'a> {
    pub year: u16,
    pub procedure: Procedure,
    /// Trimmed subject code as written (canonical form: ASCII-lowercase).
    pub subject: &'a [u8],
    pub grade: u8,
    pub school: &'a [u8],
    pub student: &'a [u8],
    pub score: Score,
    pub mark: Option<u8>,
}

/// Checks every field; on failure returns all reasons joined by «; ».
pub(crate) fn validate<'a>(f: &[&'a [u8]; FIELDS]) -> Result<RawRow<'a>, String> {
    let mut reasons: Vec<String> = Vec::new();

    let year = match f[col::YEAR] {
        y if y.len() == 4 => parse_uint(y).map(|v| v as u16),
        _ => None,
    };
    if year.is_none() {
        reasons.push(format!(
            "год «{}» — не четырёхзначное число",
            display(f[col::YEAR])
        ));
    }

    let procedure = Procedure::parse(f[col::PROCEDURE]);
    if procedure.is_none() {
        reasons.push(format!(
            "неизвестная процедура «{}» (ожидается VPR, OGE или EGE)",
            display(f[col::PROCEDURE])
        ));
    }

    let subject = f[col::SUBJECT];
    if subject.is_empty() {
        reasons.push("не указан предмет".to_owned());
    } else if subject.len() > 64 {
        reasons.push(format!(
            "слишком длинный код предмета «{}»",
            display(subject)
        ));
    }

    let grade = match parse_uint(f[col::GRADE]) {
        Some(g @ 4..=11) => Some(g as u8),
        Some(g) => {
            reasons.push(format!("класс {g} вне диапазона 4–11"));
            None
        }
        None => {
            reasons.push(format!("класс «{}» — не число", display(f[col::GRADE])));
            None
        }
    };

    let school = f[col::SCHOOL];
    if school.is_empty() {
        reasons.push("не указан код школы".to_owned());
    }
    let student = f[col::STUDENT];
    if student.is_empty() {
        reasons.push("не указан код обучающегося".to_owned());
    }

    let raw_score = f[col::SCORE];
    let score = match parse_score(raw_score) {
        Some(s) => Some(s),
        None if raw_score.is_empty() => {
            reasons.push("не указан балл".to_owned());
            None
        }
        None if raw_score.first() == Some(&b'-') => {
            reasons.push(format!("отрицательный балл «{}»", display(raw_score)));
            None
        }
        None => {
            reasons.push(format!("балл «{}» — не число", display(raw_score)));
            None
        }
    };

    let raw_mark = f[col::MARK];
    let mark = match procedure {
        Some(Procedure::Ege) => {
            if !raw_mark.is_empty() {
                reasons.push(format!(
                    "для ЕГЭ отметка не ставится, а указано «{}»",
                    display(raw_mark)
                ));
            }
            if let Some(s) = score
                && s.value > 100.0
            {
                reasons.push(format!(
                    "балл ЕГЭ {} вне диапазона 0–100",
                    display(raw_score)
                ));
            }
            None
        }
        _ if raw_mark.is_empty() => {
            if procedure.is_some() {
                reasons.push("не указана отметка (обязательна для ВПР и ОГЭ)".to_owned());
            }
            None
        }
        _ => match parse_uint(raw_mark) {
            Some(m @ 2..=5) => Some(m as u8),
            Some(m) => {
                reasons.push(format!("отметка {m} вне диапазона 2–5"));
                None
            }
            None => {
                reasons.push(format!("отметка «{}» — не число", display(raw_mark)));
                None
            }
        },
    };

    match (year, procedure, grade, score) {
        (Some(year), Some(procedure), Some(grade), Some(score)) if reasons.is_empty() => {
            Ok(RawRow {
                year,
                procedure,
                subject,
                grade,
                school,
                student,
                score,
                mark,
            })
        }
        _ => Err(reasons.join("; ")),
    }
}

/// Whether a result fails the minimum threshold.
#[inline]
pub(crate) fn is_failed(row: &RawRow<'_>, ege_min: Option<f64>) -> bool {
    match row.procedure {
        Procedure::Vpr | Procedure::Oge => row.mark == Some(2),
        Procedure::Ege => ege_min.is_some_and(|min| row.score.value < min),
    }
}

/// Message for a school missing from the directory.
pub(crate) fn unknown_school_message(school: &[u8]) -> String {
    format!("школа «{}» отсутствует в справочнике школ", display(school))
}

/// Whether the school is allowed by the directory (if any).
pub(crate) fn school_known(
    known: Option<&std::collections::HashSet<String>>,
    school: &[u8],
) -> bool {
    match known {
        None => true,
        Some(set) => std::str::from_utf8(school).is_ok_and(|s| set.contains(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: [&str; 8]) -> [&[u8]; 8] {
        v.map(str::as_bytes)
    }

    #[test]
    fn good_rows() {
        let r = validate(&fields(["2024", "VPR", "ru", "4", "S1", "P1", "12,5", "3"]));
        assert!(r.is_ok_and(|r| r.mark == Some(3) && r.score.value == 12.5));
        let r = validate(&fields(["2024", "EGE", "math", "11", "S1", "P1", "26", ""]));
        assert!(r.is_ok_and(|r| is_failed(&r, Some(27.0)) && !is_failed(&r, None)));
    }

    #[test]
    fn bad_rows_list_all_reasons() {
        let e = validate(&fields(["24", "XYZ", "", "12", "", "", "x", "7"])).err();
        let e = e.unwrap_or_default();
        for part in [
            "год",
            "процедура",
            "предмет",
            "класс 12",
            "школы",
            "обучающегося",
            "балл",
        ] {
            assert!(e.contains(part), "{e}");
        }
        let e = validate(&fields(["2024", "EGE", "ru", "11", "S", "P", "101", "5"])).err();
        let e = e.unwrap_or_default();
        assert!(e.contains("для ЕГЭ") && e.contains("0–100"), "{e}");
        let e = validate(&fields(["2024", "OGE", "ru", "9", "S", "P", "5", ""])).err();
        assert!(e.unwrap_or_default().contains("не указана отметка"));
    }
}
