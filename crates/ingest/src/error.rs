//! The ingest crate's one error type.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with one place of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line (CSV) or row (XLSX) number.
    pub line: u64,
    /// The column's header name, when the problem is in one cell.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{}: столбец {column}: {}", self.line, self.message),
            None => write!(f, "{}: {}", self.line, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("файл не найден: {}", .0.display())]
    NotFound(PathBuf),
    #[error("не удалось прочитать файл {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("файл {} пуст", .0.display())]
    Empty(PathBuf),
    #[error("не удалось прочитать книгу Excel {}: {message}", path.display())]
    Workbook { path: PathBuf, message: String },
    #[error("файл {}: {reason}", path.display())]
    RoadMap {
        path: PathBuf,
        reason: crate::roadmap::ImportError,
    },
    #[error("{}", render_rejected(path, problems))]
    Rejected {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

fn render_rejected(path: &std::path::Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "файл {} отклонён целиком, ошибок: {}",
        path.display(),
        problems.len()
    );
    for problem in problems {
        out.push_str(&format!("\n{}:{problem}", path.display()));
    }
    out
}

impl IngestError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            Self::NotFound(path.to_owned())
        } else {
            Self::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}
