//! What a road-map document may cost: its size, the nesting of its elements, its rows, cells and
//! text, its activities and the time to read it. A real road map is a few hundred rows of a few
//! megabytes at most; anything far beyond is refused whole with the limit named, instead of
//! exhausting the server's stack, memory or time.

use std::time::{Duration, Instant};

use super::document::{Block, Document};
use super::error::ImportError;

/// The limits of one import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The document's bytes as uploaded (a DOCX file, an HTML page, a text file).
    pub max_bytes: usize,
    /// Elements nested inside each other (HTML); Word's own HTML nests about 20 deep.
    pub max_depth: usize,
    /// Table rows of the whole document.
    pub max_rows: usize,
    /// Table cells of the whole document, cells repeated by `colspan`/`rowspan` included.
    pub max_cells: usize,
    /// Text of the whole document, cells repeated by `rowspan` counted each time.
    pub max_text_bytes: usize,
    /// Activities of the road map read.
    pub max_activities: usize,
    /// Wall-clock time of reading and analysing.
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_depth: 256,
            max_rows: 50_000,
            max_cells: 1_000_000,
            max_text_bytes: 64 * 1024 * 1024,
            max_activities: 10_000,
            max_time: Duration::from_secs(20),
        }
    }
}

/// What an import has spent of its [`Limits`] so far.
#[derive(Debug)]
pub(crate) struct Budget {
    pub limits: Limits,
    deadline: Instant,
    rows: usize,
    cells: usize,
    text: usize,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Self {
            deadline: Instant::now() + limits.max_time,
            limits,
            rows: 0,
            cells: 0,
            text: 0,
        }
    }

    pub fn check_bytes(&self, bytes: usize) -> Result<(), ImportError> {
        if bytes > self.limits.max_bytes {
            return Err(ImportError::TooLarge {
                bytes,
                max: self.limits.max_bytes,
            });
        }
        Ok(())
    }

    pub fn check_time(&self) -> Result<(), ImportError> {
        if Instant::now() > self.deadline {
            return Err(ImportError::TooSlow {
                seconds: self.limits.max_time.as_secs(),
            });
        }
        Ok(())
    }

    /// One more table row.
    pub fn row(&mut self) -> Result<(), ImportError> {
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            return Err(ImportError::TooManyRows {
                max: self.limits.max_rows,
            });
        }
        if self.rows % 256 == 0 {
            self.check_time()?;
        }
        Ok(())
    }

    /// One more cell holding `text_bytes` of text.
    pub fn cell(&mut self, text_bytes: usize) -> Result<(), ImportError> {
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            return Err(ImportError::TooManyCells {
                max: self.limits.max_cells,
            });
        }
        self.text(text_bytes)
    }

    /// More text outside tables.
    pub fn text(&mut self, bytes: usize) -> Result<(), ImportError> {
        self.text = self.text.saturating_add(bytes);
        if self.text > self.limits.max_text_bytes {
            return Err(ImportError::TooMuchText {
                max: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }

    /// Charges a document a reader built without a budget of its own (text, DOCX).
    pub fn document(&mut self, doc: &Document) -> Result<(), ImportError> {
        for block in &doc.blocks {
            match block {
                Block::Paragraph(p) => self.text(p.text.len())?,
                Block::Table(t) => {
                    for row in &t.rows {
                        self.row()?;
                        for cell in &row.cells {
                            self.cell(cell.len())?;
                        }
                    }
                }
            }
        }
        self.check_time()
    }

    pub fn activities(&self, count: usize) -> Result<(), ImportError> {
        if count > self.limits.max_activities {
            return Err(ImportError::TooManyActivities {
                count,
                max: self.limits.max_activities,
            });
        }
        self.check_time()
    }
}
