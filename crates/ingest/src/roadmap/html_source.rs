//! HTML (a road map saved from a web site) → [`Document`].
//!
//! Text outside tables becomes paragraphs (one per block element; `<br>`
//! is a line break, `<li>` a `- ` item); `<table>` becomes a table whose
//! cells keep their own line breaks. Line numbers are the ordinals of
//! paragraphs and rows, because the parsed tree keeps no source positions.

use scraper::{ElementRef, Html};

use super::document::{Block, Document, Paragraph, Row, Table};

pub(crate) fn read(html: &str) -> Document {
    let parsed = Html::parse_document(html);
    let mut walker = Walker::default();
    walker.walk(parsed.root_element(), false);
    walker.flush();
    walker.doc
}

#[derive(Default)]
struct Walker {
    doc: Document,
    buf: String,
    emphasised_chars: usize,
    plain_chars: usize,
    heading: bool,
    ordinal: usize,
}

const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "noscript", "template", "svg",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "blockquote",
    "center",
    "dd",
    "dt",
    "dl",
    "pre",
    "hr",
    "caption",
];
const EMPHASIS: &[&str] = &["b", "strong", "i", "em", "u"];

impl Walker {
    fn walk(&mut self, node: ElementRef<'_>, emphasis: bool) {
        for child in node.children() {
            if let Some(text) = child.value().as_text() {
                {
                    let counted = text.chars().filter(|c| !c.is_whitespace()).count();
                    if emphasis {
                        self.emphasised_chars += counted;
                    } else {
                        self.plain_chars += counted;
                    }
                    self.buf.push_str(text);
                }
            } else if let Some(child) = ElementRef::wrap(child) {
                {
                    let name = child.value().name();
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                    if name == "table" {
                        self.flush();
                        self.table(child);
                    } else if name == "br" {
                        self.buf.push('\n');
                    } else if is_heading(name) {
                        self.flush();
                        self.heading = true;
                        self.walk(child, emphasis);
                        self.flush();
                    } else if BLOCKS.contains(&name) {
                        self.flush();
                        if name == "li" {
                            self.buf.push_str("- ");
                        }
                        self.walk(child, emphasis);
                        self.flush();
                    } else {
                        self.walk(child, emphasis || EMPHASIS.contains(&name));
                    }
                }
            }
        }
    }

    fn flush(&mut self) {
        let text = clean_lines(&self.buf);
        let emphasis = self.heading || (self.emphasised_chars > 0 && self.plain_chars == 0);
        self.buf.clear();
        self.emphasised_chars = 0;
        self.plain_chars = 0;
        self.heading = false;
        if text.is_empty() || text == "-" {
            return;
        }
        self.ordinal += 1;
        self.doc.blocks.push(Block::Paragraph(Paragraph {
            text,
            line: self.ordinal,
            emphasis,
        }));
    }

    fn table(&mut self, table: ElementRef<'_>) {
        let mut rows = Vec::new();
        collect_rows(table, &mut rows);
        let mut grid = Grid::default();
        let mut out = Table {
            rows: Vec::new(),
            line: self.ordinal + 1,
        };
        let mut previous_empty = false;
        for tr in rows {
            self.ordinal += 1;
            let mut row = grid.row(tr);
            row.line = self.ordinal;
            row.after_break = previous_empty && !out.rows.is_empty();
            previous_empty = row.is_empty();
            out.rows.push(row);
        }
        if !out.rows.is_empty() {
            self.doc.blocks.push(Block::Table(out));
        }
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The `<tr>`s of this table, not of tables nested in its cells.
fn collect_rows<'a>(node: ElementRef<'a>, rows: &mut Vec<ElementRef<'a>>) {
    for child in node.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => collect_rows(child, rows),
            _ => {}
        }
    }
}

/// Builds rows on a grid: `colspan` leaves empty cells after the text,
/// `rowspan` repeats the text in the rows below.
#[derive(Default)]
struct Grid {
    carried: Vec<Option<(usize, String)>>,
}

impl Grid {
    fn row(&mut self, tr: ElementRef<'_>) -> Row {
        let mut cells: Vec<String> = Vec::new();
        let mut physical = 0;
        let mut last_span = 1;
        for td in tr.children().filter_map(ElementRef::wrap) {
            let element = td.value();
            if !matches!(element.name(), "td" | "th") {
                continue;
            }
            self.take_carried(&mut cells);
            let colspan = span(element.attr("colspan"), 100);
            let rowspan = span(element.attr("rowspan"), 1000);
            let text = cell_text(td);
            let start = cells.len();
            cells.push(text.clone());
            cells.extend(std::iter::repeat_n(String::new(), colspan - 1));
            if rowspan > 1 {
                if self.carried.len() < start + colspan {
                    self.carried.resize(start + colspan, None);
                }
                for (offset, slot) in self.carried[start..start + colspan].iter_mut().enumerate() {
                    let value = if offset == 0 {
                        text.clone()
                    } else {
                        String::new()
                    };
                    *slot = Some((rowspan - 1, value));
                }
            }
            physical += 1;
            last_span = colspan;
        }
        self.take_carried(&mut cells);
        Row {
            cells,
            line: 0,
            after_break: false,
            spanning: physical == 1 && last_span > 1,
        }
    }

    /// Fills the cells still covered by a `rowspan` from above.
    fn take_carried(&mut self, cells: &mut Vec<String>) {
        while let Some(slot) = self.carried.get_mut(cells.len()) {
            let Some((left, text)) = slot.take() else {
                break;
            };
            cells.push(text.clone());
            if left > 1 {
                *slot = Some((left - 1, text));
            }
        }
    }
}

fn span(value: Option<&str>, max: usize) -> usize {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max)
}

/// A cell's text with `<br>`, `<p>`, `<li>`, `<div>` as line breaks.
fn cell_text(td: ElementRef<'_>) -> String {
    let mut buf = String::new();
    cell_walk(td, &mut buf);
    clean_lines(&buf)
}

fn cell_walk(node: ElementRef<'_>, buf: &mut String) {
    for child in node.children() {
        if let Some(text) = child.value().as_text() {
            buf.push_str(text);
        } else if let Some(child) = ElementRef::wrap(child) {
            {
                let name = child.value().name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = name == "br"
                    || name == "tr"
                    || is_heading(name)
                    || BLOCKS.contains(&name)
                    || name == "table";
                if block {
                    buf.push('\n');
                }
                if matches!(name, "td" | "th") {
                    buf.push(' ');
                }
                cell_walk(child, buf);
                if block {
                    buf.push('\n');
                }
            }
        }
    }
}

/// Collapses whitespace inside each line and drops empty lines.
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_tables_and_spans() {
        let doc = read(
            "<h2>Трек&nbsp;1</h2><p>Цели:</p><ul><li>одна</li><li>две</li></ul>\
             <table><tr><th>№</th><th>Мероприятия</th></tr>\
             <tr><td colspan=2><b>I. Раздел</b></td></tr>\
             <tr><td rowspan=2>1</td><td>А<br>Б</td></tr><tr><td>В</td></tr></table>",
        );
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => format!("{}:{}", p.emphasis, p.text),
                Block::Table(t) => format!("table:{}", t.rows.len()),
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "true:Трек 1",
                "false:Цели:",
                "false:- одна",
                "false:- две",
                "table:4"
            ]
        );
        let Block::Table(t) = &doc.blocks[4] else {
            panic!("table expected")
        };
        assert!(t.rows[1].spanning);
        assert_eq!(t.rows[1].cells, vec!["I. Раздел", ""]);
        assert_eq!(t.rows[2].cells, vec!["1", "А\nБ"]);
        assert_eq!(t.rows[3].cells, vec!["1", "В"]);
    }
}
