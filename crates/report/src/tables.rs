//! Any table of the application as an XLSX workbook: one sheet per table, a bold frozen header with
//! an autofilter, text cells. Pages that show tables (lists, dashboards) export through this.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::ReportError;

/// One sheet: its name (Excel allows 31 characters), column headers and rows of text.
pub struct SheetTable {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Characters Excel refuses in a sheet name.
const FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) { ' ' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Лист".to_owned()
    } else {
        clean
    }
}

/// Writes the tables as sheets of one workbook.
pub fn tables_xlsx(tables: &[SheetTable]) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.name))?;
        for (col, title) in table.headers.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, title, &header)?;
            let widest = table
                .rows
                .iter()
                .filter_map(|row| row.get(usize::from(col)))
                .map(|cell| cell.chars().count())
                .chain(std::iter::once(title.chars().count()))
                .max()
                .unwrap_or(10);
            sheet.set_column_width(col, (widest as f64 + 2.0).clamp(8.0, 60.0))?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (col, cell) in row.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                sheet.write_string_with_format(r, col, cell, &text)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = u16::try_from(table.headers.len().saturating_sub(1)).unwrap_or(0);
        let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, last_col)?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excels_rules() {
        assert_eq!(sheet_name("ШНОР: 2024/2025"), "ШНОР  2024 2025");
        assert_eq!(sheet_name(&"а".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("??"), "Лист");
    }
}
