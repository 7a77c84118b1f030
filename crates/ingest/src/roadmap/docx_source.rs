//! DOCX (a Word document) → [`Document`].
//!
//! A DOCX file is a zip archive; the body is `word/document.xml`. Paragraphs
//! (`w:p`) outside tables become paragraphs, `w:tbl`/`w:tr`/`w:tc` become
//! rows with one cell per grid column (`w:gridSpan` leaves empty cells after
//! the text, a continued `w:vMerge` repeats the text of the cell above).
//! A cell's paragraphs are joined with newlines; a table nested in a cell
//! contributes its paragraphs to that cell. Line numbers are ordinals of
//! paragraphs and rows.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::document::{Block, Document, Paragraph, Row, Table};
use super::error::ImportError;

/// Largest `document.xml` accepted (a guard against zip bombs).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let xml = document_xml(bytes)?;
    parse(&xml)
}

fn document_xml(bytes: &[u8]) -> Result<String, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::BrokenZip(e.to_string()))?;
    let file = archive
        .by_name("word/document.xml")
        .map_err(|_| ImportError::BrokenZip("в архиве нет word/document.xml".to_string()))?;
    // The size the archive declares; `take` below holds a lying archive to the same limit.
    if file.size() > MAX_XML_BYTES {
        return Err(ImportError::TooMuchText {
            max: MAX_XML_BYTES as usize,
        });
    }
    let mut xml = String::new();
    file.take(MAX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| ImportError::BrokenZip(e.to_string()))?;
    Ok(xml)
}

#[derive(Default)]
struct State {
    doc: Document,
    ordinal: usize,
    paragraph: String,
    in_text: bool,
    in_run: bool,
    in_run_props: bool,
    run_emphasis: bool,
    emphasised_chars: usize,
    plain_chars: usize,
    heading_style: bool,
    table_depth: usize,
    table: Table,
    previous_row: Vec<String>,
    row: Option<RowState>,
    cell: Option<CellState>,
}

#[derive(Default)]
struct RowState {
    cells: Vec<String>,
    physical: usize,
    last_span: usize,
}

#[derive(Default)]
struct CellState {
    lines: Vec<String>,
    grid_span: usize,
    merged_from_above: bool,
}

/// The local name of a WordprocessingML element (`w:p` → `p`); other
/// namespaces (drawings, VML) are ignored.
fn word_name(name: &[u8]) -> Option<&[u8]> {
    match name.strip_prefix(b"w:") {
        Some(local) => Some(local),
        None if !name.contains(&b':') => Some(name),
        None => None,
    }
}

fn attribute(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| word_name(a.key.as_ref()) == Some(key))
        // Values read here (gridSpan, vMerge) are numbers and keywords: no entities to unescape,
        // and quick-xml's unescaping API differs with the `encoding` feature calamine enables.
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn parse(xml: &str) -> Result<Document, ImportError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut state = State::default();
    loop {
        let event = reader.read_event().map_err(|e| ImportError::BrokenXml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => state.start(&e, false),
            Event::Empty(e) => state.start(&e, true),
            Event::End(e) => {
                if let Some(name) = word_name(e.name().as_ref()) {
                    state.end(name);
                }
            }
            Event::Text(t) if state.in_text => {
                let text = t.unescape().map_err(|e| ImportError::BrokenXml {
                    position: reader.buffer_position(),
                    message: e.to_string(),
                })?;
                state.text(&text);
            }
            Event::CData(t) if state.in_text => {
                state.text(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.doc)
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let qname = e.name();
        let Some(name) = word_name(qname.as_ref()) else {
            return;
        };
        match name {
            b"p" if !empty => self.start_paragraph(),
            b"r" if !empty => {
                self.in_run = true;
                self.run_emphasis = false;
            }
            b"rPr" if self.in_run && !empty => self.in_run_props = true,
            b"b" | b"i" if self.in_run_props => {
                let off = attribute(e, b"val")
                    .is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
                if !off {
                    self.run_emphasis = true;
                }
            }
            b"t" if !empty => self.in_text = true,
            b"tab" if self.in_run => self.paragraph.push(' '),
            b"br" | b"cr" if self.in_run => self.paragraph.push('\n'),
            b"pStyle" => {
                let style = attribute(e, b"val").unwrap_or_default().to_lowercase();
                if style.contains("heading")
                    || style.contains("title")
                    || style.contains("заголовок")
                {
                    self.heading_style = true;
                }
            }
            b"tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.table = Table {
                        rows: Vec::new(),
                        line: self.ordinal + 1,
                    };
                    self.previous_row.clear();
                }
            }
            b"tr" if !empty && self.table_depth == 1 => self.row = Some(RowState::default()),
            b"tc" if !empty && self.table_depth == 1 => {
                self.cell = Some(CellState {
                    grid_span: 1,
                    ..CellState::default()
                });
            }
            b"gridSpan" if self.table_depth == 1 => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.grid_span = attribute(e, b"val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 100);
                }
            }
            b"vMerge" if self.table_depth == 1 => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.merged_from_above = attribute(e, b"val").is_none_or(|v| v == "continue");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"p" => self.end_paragraph(),
            b"r" => {
                self.in_run = false;
                self.in_run_props = false;
            }
            b"rPr" => self.in_run_props = false,
            b"t" => self.in_text = false,
            b"tc" if self.table_depth == 1 => self.end_cell(),
            b"tr" if self.table_depth == 1 => self.end_row(),
            b"tbl" => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if self.table_depth == 0 {
                    let table = std::mem::take(&mut self.table);
                    if !table.rows.is_empty() {
                        self.doc.blocks.push(Block::Table(table));
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let counted = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.run_emphasis {
            self.emphasised_chars += counted;
        } else {
            self.plain_chars += counted;
        }
        self.paragraph.push_str(text);
    }

    fn start_paragraph(&mut self) {
        self.paragraph.clear();
        self.emphasised_chars = 0;
        self.plain_chars = 0;
        self.heading_style = false;
    }

    fn end_paragraph(&mut self) {
        let text = self
            .paragraph
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let emphasis = self.heading_style || (self.emphasised_chars > 0 && self.plain_chars == 0);
        self.start_paragraph();
        if text.is_empty() {
            return;
        }
        if self.table_depth > 0 {
            if let Some(cell) = self.cell.as_mut() {
                cell.lines.push(text);
            }
            return;
        }
        self.ordinal += 1;
        self.doc.blocks.push(Block::Paragraph(Paragraph {
            text,
            line: self.ordinal,
            emphasis,
        }));
    }

    fn end_cell(&mut self) {
        let (Some(cell), Some(row)) = (self.cell.take(), self.row.as_mut()) else {
            return;
        };
        let column = row.cells.len();
        let text = if cell.merged_from_above {
            self.previous_row.get(column).cloned().unwrap_or_default()
        } else {
            cell.lines.join("\n")
        };
        row.cells.push(text);
        row.cells
            .extend(std::iter::repeat_n(String::new(), cell.grid_span - 1));
        row.physical += 1;
        row.last_span = cell.grid_span;
    }

    fn end_row(&mut self) {
        let Some(row) = self.row.take() else {
            return;
        };
        self.ordinal += 1;
        self.previous_row.clone_from(&row.cells);
        self.table.rows.push(Row {
            spanning: row.physical == 1 && row.last_span > 1,
            cells: row.cells,
            line: self.ordinal,
            after_break: false,
        });
    }
}
