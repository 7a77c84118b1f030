//! Aggregated results (DESIGN §4.3): CSV or XLSX with one row per (school,
//! year, procedure, subject, grade). Files are small (municipal exports), so
//! they are read whole.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use calamine::{Data, Reader};

use super::cell::{AggregateCell, Procedure};
use super::error::{ProblemLog, ResultsError};
use super::header::{detect_separator, is_blank_any_sep, map_columns};
use super::text::{decode_owned, display, parse_score, parse_uint, strip_bom, trim};

const REQUIRED: [&str; 7] = [
    "school_id",
    "year",
    "procedure",
    "subject",
    "grade",
    "participants",
    "failed",
];
const OPTIONAL: [&str; 5] = ["mark2", "mark3", "mark4", "mark5", "mean_score"];

/// Options of [`read_aggregated`].
#[derive(Clone, Debug, Default)]
pub struct AggregatedOptions {
    pub known_schools: Option<HashSet<String>>,
    pub skip_bad_rows: bool,
}

/// Result of [`read_aggregated`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AggregatedFile {
    /// Cells sorted by (school_id, year, procedure, subject, grade).
    pub cells: Vec<AggregateCell>,
    pub rows: u64,
    pub skipped: Vec<super::Problem>,
    pub skipped_total: u64,
}

/// (school, year, procedure, subject, grade).
type CellId = (String, i32, Procedure, String, u8);

/// One row as text fields with its line (or sheet row) number.
struct TextRow {
    line: u64,
    fields: Vec<String>,
}

/// Reads an aggregated results file (`.xlsx`/`.xlsm`/`.xls`/`.ods` by
/// extension, otherwise CSV).
pub fn read_aggregated(
    path: &Path,
    opts: &AggregatedOptions,
) -> Result<AggregatedFile, ResultsError> {
    if !path.exists() {
        return Err(ResultsError::NotFound {
            path: path.to_path_buf(),
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (header, rows) = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        read_sheet(path)?
    } else {
        read_csv(path)?
    };
    let Some(header) = header else {
        return Err(ResultsError::Empty {
            path: path.to_path_buf(),
        });
    };
    let map = map_columns(&header, &REQUIRED, &OPTIONAL).map_err(|missing| {
        ResultsError::MissingColumns {
            path: path.to_path_buf(),
            missing,
            found: header.clone(),
        }
    })?;
    let mut problems = ProblemLog::default();
    let mut cells: BTreeMap<CellId, (u64, AggregateCell)> = BTreeMap::new();
    let mut count = 0u64;
    for row in rows {
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if row
            .fields
            .iter()
            .zip(&header)
            .all(|(f, h)| f.trim().eq_ignore_ascii_case(h))
        {
            continue; // repeated header
        }
        count += 1;
        if row.fields.len() != header.len() {
            problems.push(
                row.line,
                format!(
                    "неверное число полей: {} вместо {}",
                    row.fields.len(),
                    header.len()
                ),
            );
            continue;
        }
        let mut canon: [&str; 12] = [""; 12];
        for (i, f) in row.fields.iter().enumerate() {
            if let Some(Some(c)) = map.get(i) {
                canon[usize::from(*c)] = f.trim();
            }
        }
        match parse_row(&canon, opts) {
            Ok(cell) => {
                let key = (
                    cell.school_id.clone(),
                    cell.year,
                    cell.procedure,
                    cell.subject.clone(),
                    cell.grade,
                );
                if let Some((first, _)) = cells.get(&key) {
                    problems.push(
                        row.line,
                        format!("повтор строки той же школы, года, процедуры, предмета и класса; первый раз — строка {first}"),
                    );
                } else {
                    cells.insert(key, (row.line, cell));
                }
            }
            Err(message) => problems.push(row.line, message),
        }
    }
    if count == 0 {
        return Err(ResultsError::Empty {
            path: path.to_path_buf(),
        });
    }
    if problems.total > 0 && !opts.skip_bad_rows {
        return Err(ResultsError::Rejected {
            path: path.to_path_buf(),
            problems: problems.kept,
            total: problems.total,
        });
    }
    Ok(AggregatedFile {
        cells: cells.into_values().map(|(_, c)| c).collect(),
        rows: count,
        skipped: problems.kept,
        skipped_total: problems.total,
    })
}

fn count(value: &str, name: &str, reasons: &mut Vec<String>) -> Option<u64> {
    match parse_uint(value.as_bytes()) {
        Some(v) => Some(v),
        None if value.starts_with('-') => {
            reasons.push(format!(
                "{name}: отрицательное число «{}»",
                display(value.as_bytes())
            ));
            None
        }
        None => {
            reasons.push(format!(
                "{name}: «{}» — не целое число",
                display(value.as_bytes())
            ));
            None
        }
    }
}

fn parse_row(f: &[&str; 12], opts: &AggregatedOptions) -> Result<AggregateCell, String> {
    let mut reasons = Vec::new();
    let school_id = f[0];
    if school_id.is_empty() {
        reasons.push("не указан код школы".to_owned());
    } else if opts
        .known_schools
        .as_ref()
        .is_some_and(|set| !set.contains(school_id))
    {
        reasons.push(format!(
            "школа «{school_id}» отсутствует в справочнике школ"
        ));
    }
    let year = (f[1].len() == 4)
        .then(|| parse_uint(f[1].as_bytes()))
        .flatten();
    if year.is_none() {
        reasons.push(format!("год «{}» — не четырёхзначное число", f[1]));
    }
    let procedure = Procedure::parse(f[2].as_bytes());
    if procedure.is_none() {
        reasons.push(format!(
            "неизвестная процедура «{}» (ожидается VPR, OGE или EGE)",
            f[2]
        ));
    }
    if f[3].is_empty() {
        reasons.push("не указан предмет".to_owned());
    }
    let grade = match parse_uint(f[4].as_bytes()) {
        Some(g @ 4..=11) => Some(g as u8),
        Some(g) => {
            reasons.push(format!("класс {g} вне диапазона 4–11"));
            None
        }
        None => {
            reasons.push(format!("класс «{}» — не число", f[4]));
            None
        }
    };
    let participants = count(f[5], "participants", &mut reasons);
    let failed = count(f[6], "failed", &mut reasons);
    if let (Some(p), Some(x)) = (participants, failed)
        && x > p
    {
        reasons.push(format!(
            "не преодолевших порог ({x}) больше, чем участников ({p})"
        ));
    }
    let mut marks = [0u64; 4];
    for (i, name) in ["mark2", "mark3", "mark4", "mark5"].iter().enumerate() {
        let v = f[7 + i];
        if !v.is_empty() {
            marks[i] = count(v, name, &mut reasons).unwrap_or(0);
        }
    }
    let mark_sum: u64 = marks.iter().sum();
    if let Some(p) = participants
        && mark_sum > p
    {
        reasons.push(format!(
            "сумма отметок ({mark_sum}) больше числа участников ({p})"
        ));
    }
    let mean = if f[11].is_empty() {
        None
    } else {
        match parse_score(f[11].as_bytes()) {
            Some(s) => Some(s.value),
            None => {
                reasons.push(format!("mean_score: «{}» — не число", f[11]));
                None
            }
        }
    };
    match (year, procedure, grade, participants, failed) {
        (Some(year), Some(procedure), Some(grade), Some(participants), Some(failed))
            if reasons.is_empty() =>
        {
            Ok(AggregateCell {
                school_id: school_id.to_owned(),
                year: year as i32,
                procedure,
                subject: f[3].to_ascii_lowercase(),
                grade,
                participants,
                failed,
                mark2: marks[0],
                mark3: marks[1],
                mark4: marks[2],
                mark5: marks[3],
                score_sum: mean.map(|m| m * participants as f64),
                score_min: None,
                score_max: None,
                ege_scores: None,
            })
        }
        _ => Err(reasons.join("; ")),
    }
}

type Parsed = (Option<Vec<String>>, Vec<TextRow>);

fn read_csv(path: &Path) -> Result<Parsed, ResultsError> {
    let bytes = std::fs::read(path).map_err(|source| ResultsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = decode_owned(strip_bom(&bytes));
    let first = text
        .lines()
        .find(|l| !is_blank_any_sep(l.as_bytes()))
        .unwrap_or("");
    let sep = detect_separator(first.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let fields: Vec<String> = record
                    .iter()
                    .map(|f| trim(f.as_bytes()).to_owned())
                    .map(|b| decode_owned(&b))
                    .collect();
                if header.is_none() {
                    if fields.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    header = Some(fields.iter().map(|f| f.to_ascii_lowercase()).collect());
                } else {
                    rows.push(TextRow { line, fields });
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                rows.push(TextRow {
                    line,
                    fields: vec![format!("{e}")],
                });
            }
        }
    }
    Ok((header, rows))
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn read_sheet(path: &Path) -> Result<Parsed, ResultsError> {
    let err = |message: String| ResultsError::Spreadsheet {
        path: path.to_path_buf(),
        message,
    };
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| err(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| err("в книге нет листов".to_owned()))?
        .map_err(|e| err(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = first_row + i as u64 + 1;
        let mut fields: Vec<String> = row.iter().map(cell_text).collect();
        while fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        if header.is_none() {
            if fields.is_empty() {
                continue;
            }
            header = Some(
                fields
                    .iter()
                    .map(|f| f.to_ascii_lowercase())
                    .collect::<Vec<_>>(),
            );
            continue;
        }
        if let Some(h) = &header {
            // Trailing empty optional cells are fine in a sheet.
            while fields.len() < h.len() && !fields.is_empty() {
                fields.push(String::new());
            }
        }
        rows.push(TextRow { line, fields });
    }
    Ok((header, rows))
}
