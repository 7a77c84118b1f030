//! A file read as a table of text cells with line numbers, whatever its format (CSV or a workbook),
//! so that every reader reports problems against the line the user sees in their editor.

use std::path::Path;

use calamine::{Data, Reader};

use crate::text::{decode, detect_delimiter};
use crate::{IngestError, Problem};

pub struct Row {
    /// 1-based line in a CSV file, or row number in a sheet.
    pub line: u64,
    pub cells: Vec<String>,
}

pub struct Table {
    pub header: Vec<String>,
    pub header_line: u64,
    pub rows: Vec<Row>,
}

const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Reads a CSV or workbook file. Blank lines and repeated header lines are skipped.
pub fn read_table(path: &Path) -> Result<Table, IngestError> {
    let is_workbook = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_lowercase().as_str()));
    let lines = if is_workbook {
        workbook_lines(path)?
    } else {
        csv_lines(path)?
    };
    let mut lines = lines
        .into_iter()
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()));
    let Some(header_row) = lines.next() else {
        return Err(IngestError::Empty(path.to_owned()));
    };
    let header: Vec<String> = header_row
        .cells
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    let rows = lines
        .filter(|row| !same_as_header(&row.cells, &header))
        .collect();
    Ok(Table {
        header,
        header_line: header_row.line,
        rows,
    })
}

fn same_as_header(cells: &[String], header: &[String]) -> bool {
    cells.len() == header.len() && cells.iter().zip(header).all(|(c, h)| c.trim() == h)
}

fn csv_lines(path: &Path) -> Result<Vec<Row>, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::io(path, e))?;
    let text = decode(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(Row {
                line: record.position().map_or(0, |p| p.line()),
                cells: record.iter().map(str::to_owned).collect(),
            }),
            Err(err) => problems.push(Problem {
                line: err.position().map_or(0, |p| p.line()),
                column: None,
                message: format!("строка не разобрана как CSV: {err}"),
            }),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(IngestError::Rejected {
            path: path.to_owned(),
            problems,
        })
    }
}

fn workbook_lines(path: &Path) -> Result<Vec<Row>, IngestError> {
    if !path.exists() {
        return Err(IngestError::NotFound(path.to_owned()));
    }
    let workbook_error = |message: String| IngestError::Workbook {
        path: path.to_owned(),
        message,
    };
    let mut workbook =
        calamine::open_workbook_auto(path).map_err(|e| workbook_error(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| workbook_error("в книге нет листов".to_owned()))?
        .map_err(|e| workbook_error(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // Columns left of the used range still count, so that positions match the header.
            let mut row: Vec<String> = vec![String::new(); first_col];
            row.extend(cells.iter().map(cell_text));
            Row {
                line: first_row + i as u64 + 1,
                cells: row,
            }
        })
        .collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Spreadsheets store codes and counts as floats: 2401001.0 is the code «2401001».
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
