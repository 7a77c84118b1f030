//! Errors and per-line problems. Messages shown to users are in Russian.

use std::fmt;
use std::path::PathBuf;

/// How many problems an error lists when displayed; all are counted.
pub const DISPLAY_PROBLEMS: usize = 100;
/// How many problems are kept in memory; the rest are only counted.
pub const STORED_PROBLEMS: usize = 1_000;

/// One bad line (or sheet row) of an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based physical line number (sheet row number for XLSX).
    pub line: u64,
    /// Reason in Russian.
    pub message: String,
}

/// A bounded list of problems: keeps the first [`STORED_PROBLEMS`] in line
/// order (when pushed in line order) and counts all.
#[derive(Debug, Default, Clone)]
pub(crate) struct ProblemLog {
    pub kept: Vec<Problem>,
    pub total: u64,
}

impl ProblemLog {
    pub fn push(&mut self, line: u64, message: String) {
        self.total += 1;
        if self.kept.len() < STORED_PROBLEMS {
            self.kept.push(Problem { line, message });
        }
    }

    /// Merges two logs; the result is ordered by line and capped.
    pub fn merge(mut self, other: ProblemLog) -> ProblemLog {
        self.total += other.total;
        self.kept.extend(other.kept);
        self.kept.sort_by_key(|p| p.line);
        self.kept.truncate(STORED_PROBLEMS);
        self
    }
}

/// Errors of both readers.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The file does not exist.
    #[error("{}: файл не найден", path.display())]
    NotFound { path: PathBuf },
    /// Reading (or writing temporary files) failed.
    #[error("{}: ошибка чтения: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No header or no data rows.
    #[error("{}: файл пуст (нет заголовка или ни одной строки с результатами)", path.display())]
    Empty { path: PathBuf },
    /// The header lacks required columns.
    #[error(
        "{}: в заголовке нет обязательных столбцов: {}; найдены: {}",
        path.display(),
        missing.join(", "),
        found.join(", ")
    )]
    MissingColumns {
        path: PathBuf,
        missing: Vec<String>,
        found: Vec<String>,
    },
    /// The import is rejected: at least one bad row and skipping not asked.
    #[error("{}", RejectedDisplay { path, problems, total: *total })]
    Rejected {
        path: PathBuf,
        /// The first problems in line order (at most [`STORED_PROBLEMS`]).
        problems: Vec<Problem>,
        /// The number of all problems found.
        total: u64,
    },
    /// So many repeated pupil results that the file is not a results export.
    #[error(
        "{}: слишком много повторяющихся результатов обучающихся (не меньше {count}); файл не обработан",
        path.display()
    )]
    TooManyDuplicates { path: PathBuf, count: u64 },
    /// More distinct schools or subjects than the compact keys hold.
    #[error("{}: слишком много различных значений в столбце {what}", path.display())]
    TooManyKeys { path: PathBuf, what: &'static str },
    /// The spreadsheet could not be opened or read.
    #[error("{}: не удалось прочитать таблицу: {message}", path.display())]
    Spreadsheet { path: PathBuf, message: String },
}

struct RejectedDisplay<'a> {
    path: &'a PathBuf,
    problems: &'a [Problem],
    total: u64,
}

impl fmt::Display for RejectedDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: импорт отклонён, ошибок: {} (можно пропустить ошибочные строки)",
            self.path.display(),
            self.total
        )?;
        for p in self.problems.iter().take(DISPLAY_PROBLEMS) {
            writeln!(f, "{}:{}: {}", self.path.display(), p.line, p.message)?;
        }
        let shown = self.problems.len().min(DISPLAY_PROBLEMS) as u64;
        if self.total > shown {
            write!(f, "… и ещё {}", self.total - shown)?;
        }
        Ok(())
    }
}
