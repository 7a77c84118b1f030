//! A dashboard table: shown as HTML and exported, cell for cell, as a sheet of the workbook.

use orientir_report::SheetTable;

pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// A CSS class for the cell (e.g. `overdue`), empty for none.
    pub class: &'static str,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
            class: "",
        }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: Some(href.into()),
            class: "",
        }
    }

    pub fn marked(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }
}

pub struct Table {
    /// The HTML id and the `table` parameter of the export.
    pub id: &'static str,
    pub title: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Said when there are no rows.
    pub empty: &'static str,
}

impl Table {
    pub fn sheet(&self) -> SheetTable {
        SheetTable {
            name: self.title.clone(),
            headers: self.headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| row.iter().map(|c| c.text.clone()).collect())
                .collect(),
        }
    }
}
