//! The intermediate document every source produces: a sequence of
//! paragraphs and tables. The analysis only ever sees this model.

/// A document in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// Text outside tables. May hold several lines (`\n`), e.g. the lines of a
/// text file not separated by a blank line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paragraph {
    /// Decoration (markdown `#`, `*`) already removed.
    pub text: String,
    /// Where the paragraph starts (line of a text file, ordinal otherwise).
    pub line: usize,
    /// A heading or wholly bold/italic paragraph.
    pub emphasis: bool,
}

impl Paragraph {
    /// The paragraph's lines with their line numbers; blank lines skipped.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (self.line + i, l.trim()))
            .filter(|(_, l)| !l.is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub rows: Vec<Row>,
    pub line: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row {
    /// Cell texts, one per grid column; lines inside a cell joined by `\n`.
    pub cells: Vec<String>,
    pub line: usize,
    /// The row follows a page break (a blank line in text sources).
    pub after_break: bool,
    /// One cell spans the whole row (colspan / gridSpan).
    pub spanning: bool,
}

impl Row {
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |c| c.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

impl Document {
    pub fn has_tables(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, Block::Table(_)))
    }
}
