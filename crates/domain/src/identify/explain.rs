//! Russian explanations of decisions.

use super::model::{CellSummary, Procedure};
use super::share::{Points, SHARE_DENOMINATOR, Share};

/// Russian name of a subject code; unknown codes are shown as they are.
pub fn subject_title(code: &str) -> &str {
    match code {
        "ru" => "русский язык",
        "math" => "математика",
        other => other,
    }
}

/// «ВПР» or «ВПР, 5 класс».
pub fn unit_title(procedure: Procedure, grade: Option<u8>) -> String {
    match grade {
        Some(grade) => format!("{}, {} класс", procedure.title(), grade),
        None => procedure.title().to_string(),
    }
}

/// Formats `int` + `frac` (with `digits` decimal digits) with a decimal comma,
/// dropping trailing zeros.
fn decimal(int: u128, frac: u128, digits: usize) -> String {
    if frac == 0 {
        return int.to_string();
    }
    let frac = format!("{frac:0digits$}");
    format!("{},{}", int, frac.trim_end_matches('0'))
}

/// Observed share in percent, rounded to one decimal: «37,5 %».
pub fn percent(failed: u64, participants: u64) -> String {
    if participants == 0 {
        return "0 %".to_string();
    }
    let (f, n) = (u128::from(failed), u128::from(participants));
    let tenths = (f * 2000 + n) / (2 * n);
    format!("{} %", decimal(tenths / 10, tenths % 10, 1))
}

/// A share parameter in percent, exactly: «30 %», «33,33 %».
pub fn share_percent(share: Share) -> String {
    let num = u128::from(share.numerator());
    let per_percent = u128::from(SHARE_DENOMINATOR) / 100;
    format!("{} %", decimal(num / per_percent, num % per_percent, 2))
}

/// Percentage points, exactly: «10 п. п.».
pub fn points_text(points: Points) -> String {
    let num = u128::from(points.numerator());
    let den = u128::from(SHARE_DENOMINATOR);
    format!("{} п. п.", decimal(num / den, num % den, 4))
}

/// «ВПР (русский язык) 2024».
pub fn cell_title(cell: &CellSummary) -> String {
    format!(
        "{} ({}) {}",
        unit_title(cell.procedure, cell.grade),
        subject_title(&cell.subject),
        cell.year
    )
}

/// «4 из 10 (40 %)».
pub fn counts_text(cell: &CellSummary) -> String {
    format!(
        "{} из {} ({})",
        cell.failed,
        cell.participants,
        percent(u64::from(cell.failed), u64::from(cell.participants))
    )
}

/// «ВПР (русский язык) 2024: не преодолели порог 4 из 10 (40 %) ≥ 30 %».
pub fn failing_cell(cell: &CellSummary, threshold: Share) -> String {
    format!(
        "{}: не преодолели порог {} ≥ {}",
        cell_title(cell),
        counts_text(cell),
        share_percent(threshold)
    )
}

/// «ВПР (русский язык) 2024: не преодолели порог 0 из 25 (0 %) ≤ 5 %».
pub fn good_cell(cell: &CellSummary, ceiling: Share) -> String {
    format!(
        "{}: не преодолели порог {} ≤ {}",
        cell_title(cell),
        counts_text(cell),
        share_percent(ceiling)
    )
}

/// Joins cell texts with «; ».
pub fn join(parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().collect::<Vec<_>>().join("; ")
}

/// A floating index with three decimals and a decimal comma: «0,85».
pub fn index_text(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents() {
        assert_eq!(percent(4, 10), "40 %");
        assert_eq!(percent(3, 8), "37,5 %");
        assert_eq!(percent(1, 3), "33,3 %");
        assert_eq!(percent(2, 3), "66,7 %");
        assert_eq!(percent(0, 0), "0 %");
        assert_eq!(share_percent(Share::from_f64(0.3)), "30 %");
        assert_eq!(share_percent(Share::from_f64(0.305)), "30,5 %");
        assert_eq!(share_percent(Share::from_f64(0.3333)), "33,33 %");
        assert_eq!(points_text(Points::from_f64(10.0)), "10 п. п.");
        assert_eq!(points_text(Points::from_f64(2.5)), "2,5 п. п.");
    }

    #[test]
    fn cell_texts() {
        let cell = CellSummary {
            school_id: "s".to_string(),
            year: 2024,
            procedure: Procedure::Oge,
            grade: None,
            subject: "math".to_string(),
            participants: 8,
            failed: 3,
            share: 0.375,
        };
        assert_eq!(
            failing_cell(&cell, Share::from_f64(0.3)),
            "ОГЭ (математика) 2024: не преодолели порог 3 из 8 (37,5 %) ≥ 30 %"
        );
        let graded = CellSummary {
            grade: Some(9),
            subject: "physics".to_string(),
            ..cell
        };
        assert_eq!(cell_title(&graded), "ОГЭ, 9 класс (physics) 2024");
    }

    #[test]
    fn index_texts() {
        assert_eq!(index_text(0.85), "0,85");
        assert_eq!(index_text(1.0), "1");
        assert_eq!(index_text(-0.0001), "0");
        assert_eq!(index_text(-0.25), "-0,25");
    }
}
