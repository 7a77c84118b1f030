//! Assessment results as stored: aggregated cells per (school, year, procedure, subject, grade)
//! and the imports that wrote them. No pupil-level value exists here (DESIGN.md §4.2).
//!
//! The store has its own plain cell type: readers of files (`orientir-ingest`) are not a
//! dependency of the store; the binary converts their cells into [`ResultCell`].

use chrono::{DateTime, Utc};
use orientir_domain::identify::{Cell, Procedure};
use orientir_domain::registry::{SchoolId, SocialContext, StatusKind};

use crate::StoreError;

/// What kind of file an import read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsKind {
    /// Student-level results, aggregated while reading (DESIGN.md §4.2).
    Student,
    /// Aggregated results as exported by ФИС ОКО (DESIGN.md §4.3).
    Aggregated,
}

impl ResultsKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::Aggregated => "aggregated",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "student" => Some(Self::Student),
            "aggregated" => Some(Self::Aggregated),
            _ => None,
        }
    }

    /// «результаты обучающихся» / «агрегированные результаты» — for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Student => "результаты обучающихся",
            Self::Aggregated => "агрегированные результаты",
        }
    }
}

/// One aggregated result cell: the pupils of one school who took one procedure in one subject
/// and grade in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultCell {
    pub school_id: SchoolId,
    pub year: i32,
    pub procedure: Procedure,
    /// Subject code, lowercase (`ru`, `math`, …).
    pub subject: String,
    pub grade: u8,
    pub participants: u64,
    /// Participants below the minimum threshold (for ЕГЭ: the thresholds the import used).
    pub failed: u64,
    pub mark2: u64,
    pub mark3: u64,
    pub mark4: u64,
    pub mark5: u64,
    /// Sum of scores, when the source gives scores.
    pub score_sum: Option<f64>,
    pub score_min: Option<f64>,
    pub score_max: Option<f64>,
}

impl ResultCell {
    /// The cell as the rule engine takes it (counts saturate; a school cell never nears 4·10⁹).
    pub fn rule_cell(&self) -> Cell {
        Cell {
            school_id: self.school_id.as_str().to_owned(),
            year: self.year,
            procedure: self.procedure,
            subject: self.subject.clone(),
            grade: self.grade,
            participants: u32::try_from(self.participants).unwrap_or(u32::MAX),
            failed: u32::try_from(self.failed).unwrap_or(u32::MAX),
        }
    }

    /// The order of cells everywhere: school, year, procedure (ВПР, ОГЭ, ЕГЭ), subject, grade.
    pub(crate) fn sort_key(&self) -> (&str, i32, Procedure, &str, u8) {
        (
            self.school_id.as_str(),
            self.year,
            self.procedure,
            self.subject.as_str(),
            self.grade,
        )
    }
}

/// A stored cell with the import that last wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResultCell {
    pub cell: ResultCell,
    pub import_id: i64,
    pub imported_at: DateTime<Utc>,
}

/// What an import of results wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportResultsSummary {
    pub import_id: i64,
    /// Cells written (new and replaced).
    pub cells: usize,
    /// Cells that were not stored before.
    pub new_cells: usize,
    /// Cells that replaced a stored cell of the same (school, year, procedure, subject, grade).
    pub replaced_cells: usize,
    /// Distinct schools of the cells.
    pub schools: usize,
    /// Distinct years of the cells, ascending.
    pub years: Vec<i32>,
}

/// One import of a results file, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultImport {
    pub id: i64,
    pub file_name: String,
    pub kind: ResultsKind,
    pub rows_read: u64,
    pub cells: u64,
    pub skipped_rows: u64,
    pub created_at: DateTime<Utc>,
}

/// A school a rule run lists for a status, with the explanation kept as the record's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRunStatus {
    pub school_id: SchoolId,
    pub status: StatusKind,
    pub note: Option<String>,
}

/// What recording a rule run appended to the status history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleRunSummary {
    /// `assigned` records, one per listed (school, status).
    pub assigned: usize,
    /// `removed` records: statuses a previous rule run gave for the year, now not listed.
    pub removed: usize,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RawResultCell {
    pub school_id: String,
    pub year: i64,
    pub procedure: String,
    pub subject: String,
    pub grade: i64,
    pub participants: i64,
    pub failed: i64,
    pub mark2: i64,
    pub mark3: i64,
    pub mark4: i64,
    pub mark5: i64,
    pub score_sum: Option<f64>,
    pub score_min: Option<f64>,
    pub score_max: Option<f64>,
    pub import_id: i64,
    pub imported_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RawSchoolSocial {
    pub id: String,
    pub low_income: Option<f64>,
    pub single_parent: Option<f64>,
    pub non_native: Option<f64>,
    pub disability: Option<f64>,
    pub parents_higher_ed: Option<f64>,
    pub on_register: Option<f64>,
}

impl TryFrom<RawSchoolSocial> for (SchoolId, SocialContext) {
    type Error = StoreError;

    fn try_from(raw: RawSchoolSocial) -> Result<Self, StoreError> {
        let id = SchoolId::parse(&raw.id).map_err(|_| corrupt("код школы", &raw.id))?;
        Ok((
            id,
            SocialContext {
                low_income: raw.low_income,
                single_parent: raw.single_parent,
                non_native: raw.non_native,
                disability: raw.disability,
                parents_higher_ed: raw.parents_higher_ed,
                on_register: raw.on_register,
            },
        ))
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RawResultImport {
    pub id: i64,
    pub file_name: String,
    pub kind: String,
    pub rows_read: i64,
    pub cells: i64,
    pub skipped_rows: i64,
    pub created_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} «{value}»"))
}

fn count(what: &str, raw: i64) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(what, raw))
}

/// A count as stored: BIGINT on both backends (a count past i64::MAX cannot occur; it saturates).
pub(crate) fn stored_count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl TryFrom<RawResultCell> for StoredResultCell {
    type Error = StoreError;

    fn try_from(raw: RawResultCell) -> Result<Self, StoreError> {
        Ok(StoredResultCell {
            cell: ResultCell {
                school_id: SchoolId::parse(&raw.school_id)
                    .map_err(|_| corrupt("код школы", &raw.school_id))?,
                year: i32::try_from(raw.year).map_err(|_| corrupt("год", raw.year))?,
                procedure: Procedure::from_code(&raw.procedure)
                    .ok_or_else(|| corrupt("процедура", &raw.procedure))?,
                subject: raw.subject,
                grade: u8::try_from(raw.grade).map_err(|_| corrupt("класс", raw.grade))?,
                participants: count("число участников", raw.participants)?,
                failed: count("число не преодолевших порог", raw.failed)?,
                mark2: count("число отметок «2»", raw.mark2)?,
                mark3: count("число отметок «3»", raw.mark3)?,
                mark4: count("число отметок «4»", raw.mark4)?,
                mark5: count("число отметок «5»", raw.mark5)?,
                score_sum: raw.score_sum,
                score_min: raw.score_min,
                score_max: raw.score_max,
            },
            import_id: raw.import_id,
            imported_at: raw.imported_at,
        })
    }
}

impl TryFrom<RawResultImport> for ResultImport {
    type Error = StoreError;

    fn try_from(raw: RawResultImport) -> Result<Self, StoreError> {
        Ok(ResultImport {
            id: raw.id,
            file_name: raw.file_name,
            kind: ResultsKind::from_code(&raw.kind)
                .ok_or_else(|| corrupt("вид файла", &raw.kind))?,
            rows_read: count("число строк", raw.rows_read)?,
            cells: count("число ячеек", raw.cells)?,
            skipped_rows: count("число пропущенных строк", raw.skipped_rows)?,
            created_at: raw.created_at,
        })
    }
}

/// Turns stored cells into values, in the order of [`ResultCell::sort_key`] (computed in Rust, so
/// both backends order alike).
pub(crate) fn cells(raw: Vec<RawResultCell>) -> Result<Vec<StoredResultCell>, StoreError> {
    let mut cells = raw
        .into_iter()
        .map(StoredResultCell::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    cells.sort_by(|a, b| a.cell.sort_key().cmp(&b.cell.sort_key()));
    Ok(cells)
}
