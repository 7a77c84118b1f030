//! Plain text (PDF turned into text, exported TSV) → [`Document`].
//!
//! Lines containing a tab are table rows; consecutive rows form a table even
//! across blank lines (a row broken across pages continues after a blank
//! line, which is remembered as `after_break`). Other consecutive non-blank
//! lines form one paragraph; a markdown heading line is a paragraph alone.

use super::document::{Block, Document, Paragraph, Row, Table};
use super::normalize::{strip_decoration, strip_inline_html};

pub(crate) fn read(text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    for (index, raw) in text.lines().enumerate() {
        reader.line(index + 1, raw);
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    doc: Document,
    paragraph: Vec<(usize, String)>,
    table: Option<Table>,
    blank_since_row: bool,
}

impl Reader {
    fn line(&mut self, number: usize, raw: &str) {
        if raw.contains('\t') {
            self.flush_paragraph();
            let cells: Vec<String> = raw
                .split('\t')
                .map(|c| strip_inline_html(c).trim().to_string())
                .collect();
            let table = self.table.get_or_insert_with(|| Table {
                rows: Vec::new(),
                line: number,
            });
            let after_break = self.blank_since_row && !table.rows.is_empty();
            table.rows.push(Row {
                cells,
                line: number,
                after_break,
                spanning: false,
            });
            self.blank_since_row = false;
        } else if raw.trim().is_empty() {
            self.flush_paragraph();
            self.blank_since_row = true;
        } else {
            self.flush_table();
            let line = strip_inline_html(raw).trim().to_string();
            if line.starts_with('#') {
                self.flush_paragraph();
                self.paragraph.push((number, line));
                self.flush_paragraph();
            } else {
                self.paragraph.push((number, line));
            }
        }
    }

    fn flush_paragraph(&mut self) {
        let Some((line, _)) = self.paragraph.first() else {
            return;
        };
        let line = *line;
        let joined = self
            .paragraph
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        self.paragraph.clear();
        let (text, emphasis) = strip_decoration(&joined);
        if text.trim().is_empty() {
            return;
        }
        self.doc.blocks.push(Block::Paragraph(Paragraph {
            text,
            line,
            emphasis,
        }));
    }

    fn flush_table(&mut self) {
        if let Some(table) = self.table.take() {
            self.doc.blocks.push(Block::Table(table));
        }
        self.blank_since_row = false;
    }

    fn finish(mut self) -> Document {
        self.flush_paragraph();
        self.flush_table();
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_tables_with_breaks() {
        let doc = read("ПРИКАЗ\n01.07.2022\n\n## Заголовок\n№\tМероприятия\n1\tА-\n\n\tб\nТекст");
        assert_eq!(doc.blocks.len(), 4);
        let Block::Paragraph(p) = &doc.blocks[0] else {
            panic!("paragraph expected")
        };
        assert_eq!(p.text, "ПРИКАЗ\n01.07.2022");
        assert_eq!(p.line, 1);
        let Block::Paragraph(h) = &doc.blocks[1] else {
            panic!("heading expected")
        };
        assert_eq!(
            (h.text.as_str(), h.emphasis, h.line),
            ("Заголовок", true, 4)
        );
        let Block::Table(t) = &doc.blocks[2] else {
            panic!("table expected")
        };
        assert_eq!(t.rows.len(), 3);
        assert!(!t.rows[1].after_break);
        assert!(t.rows[2].after_break);
        assert_eq!(t.rows[2].line, 8);
        assert_eq!(t.rows[2].cells, vec!["", "б"]);
    }
}
