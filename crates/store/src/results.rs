//! Assessment results as stored: aggregated cells per (school, year, procedure, subject, grade)
//! and the imports that wrote them. No pupil-level value exists here (DESIGN.md §4.2).
//!
//! The store has its own plain cell type: readers of files (`orientir-ingest`) are not a
//! dependency of the store; the binary converts their cells into [`ResultCell`].

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use orientir_domain::identify::{Cell, Procedure, RuleConfig, SchoolContext};
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
    /// Participants below the minimum threshold (for ЕГЭ: the thresholds the import used; a rule
    /// with other minimum scores recounts it from [`ResultCell::ege_scores`] when they are kept).
    pub failed: u64,
    pub mark2: u64,
    pub mark3: u64,
    pub mark4: u64,
    pub mark5: u64,
    /// Sum of scores, when the source gives scores.
    pub score_sum: Option<f64>,
    pub score_min: Option<f64>,
    pub score_max: Option<f64>,
    /// ЕГЭ cells read from student-level results: the distinct scores, ascending, each with how
    /// many pupils got it (they add up to `participants`). `None` for ВПР/ОГЭ and for cells of
    /// aggregated files, which give only the count of failures.
    pub ege_scores: Option<Vec<(f64, u64)>>,
}

impl ResultCell {
    /// The cell as the rule engine takes it (counts saturate; a school cell never nears 4·10⁹),
    /// with `failed` as stored.
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

    /// The cell as `rule` judges it: a ЕГЭ cell with its scores kept has `failed` recounted with
    /// the rule's minimum score for the subject; any other cell is [`ResultCell::rule_cell`].
    pub fn rule_cell_for(&self, rule: &RuleConfig) -> Cell {
        let mut cell = self.rule_cell();
        if self.procedure == Procedure::Ege
            && let Some(scores) = &self.ege_scores
        {
            let failed = rule.ege_failed(&self.subject, scores);
            cell.failed = u32::try_from(failed).unwrap_or(u32::MAX);
        }
        cell
    }

    /// «школа 1001, 2024 год, ЕГЭ, предмет ru, 11 класс» — for messages.
    pub(crate) fn label(&self) -> String {
        format!(
            "школа {}, {} год, {}, предмет {}, {} класс",
            self.school_id,
            self.year,
            self.procedure.title(),
            self.subject,
            self.grade
        )
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

/// What the identification rule needs for a year, read from the store
/// ([`crate::Store::rule_inputs`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInputs {
    /// The stored cells as the rule judges them: ЕГЭ cells with their scores kept recounted with
    /// the rule's minimum scores.
    pub cells: Vec<Cell>,
    /// Every school of the registry.
    pub contexts: Vec<SchoolContext>,
    /// ЕГЭ cells without a score distribution (from aggregated files, or stored before scores
    /// were kept), by subject: their `failed` is the count the file gave, whatever the rule's
    /// minimum scores.
    pub ege_without_scores: BTreeMap<String, usize>,
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
    pub ege_scores: Option<String>,
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
        let mut cell = ResultCell {
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
            ege_scores: None,
        };
        if let Some(text) = &raw.ege_scores {
            let scores = parse_ege_scores(text)
                .and_then(|scores| check_ege_scores(&cell, &scores).map(|()| scores))
                .map_err(|reason| {
                    StoreError::Corrupt(format!(
                        "распределение баллов ЕГЭ «{text}» ({}): {reason}",
                        cell.label()
                    ))
                })?;
            cell.ege_scores = Some(scores);
        }
        Ok(StoredResultCell {
            cell,
            import_id: raw.import_id,
            imported_at: raw.imported_at,
        })
    }
}

/// A ЕГЭ score distribution as `result_cells.ege_scores` keeps it: `score:pupils` pairs, scores
/// ascending, one space apart (`24:3 26.5:1 80:12`). A score is written as Rust prints an `f64`,
/// the shortest text that reads back as the same number, so every distribution has one text.
pub(crate) fn format_ege_scores(scores: &[(f64, u64)]) -> String {
    let pairs: Vec<String> = scores
        .iter()
        .map(|(score, pupils)| format!("{score}:{pupils}"))
        .collect();
    pairs.join(" ")
}

/// Reads [`format_ege_scores`]'s text back, strictly: any other text (spacing, signs, exponents,
/// trailing zeros, scores out of order or repeated, a pair without pupils) is refused, with the
/// reason in Russian.
pub(crate) fn parse_ege_scores(text: &str) -> Result<Vec<(f64, u64)>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut scores = Vec::new();
    for pair in text.split(' ') {
        let Some((score, pupils)) = pair.split_once(':') else {
            return Err(format!("пара «{pair}» не в виде балл:число"));
        };
        let score: f64 = score
            .parse()
            .map_err(|_| format!("балл «{score}» не число"))?;
        if pupils.is_empty() || !pupils.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("число обучающихся «{pupils}» не целое без знака"));
        }
        let pupils: u64 = pupils
            .parse()
            .map_err(|_| format!("число обучающихся «{pupils}» слишком велико"))?;
        scores.push((score, pupils));
    }
    check_distribution(&scores)?;
    if format_ege_scores(&scores) != text {
        return Err("запись не в каноническом виде «балл:число балл:число …»".to_owned());
    }
    Ok(scores)
}

/// Scores finite and not negative, strictly ascending, each with at least one pupil.
fn check_distribution(scores: &[(f64, u64)]) -> Result<(), String> {
    let mut previous: Option<f64> = None;
    for (score, pupils) in scores {
        if !score.is_finite() || *score < 0.0 {
            return Err(format!("балл {score} не неотрицательное число"));
        }
        if *pupils == 0 {
            return Err(format!("у балла {score} нет обучающихся"));
        }
        if previous.is_some_and(|p| p >= *score) {
            return Err(format!("баллы не по возрастанию или повторяются ({score})"));
        }
        previous = Some(*score);
    }
    Ok(())
}

/// Whether `scores` may be a cell's distribution: a ЕГЭ cell, a valid distribution, pupils
/// adding up to the cell's participants.
fn check_ege_scores(cell: &ResultCell, scores: &[(f64, u64)]) -> Result<(), String> {
    if cell.procedure != Procedure::Ege {
        return Err("распределение баллов хранится только для ЕГЭ".to_owned());
    }
    check_distribution(scores)?;
    let pupils = scores
        .iter()
        .try_fold(0u64, |sum, (_, n)| sum.checked_add(*n))
        .ok_or_else(|| "сумма обучающихся слишком велика".to_owned())?;
    if pupils != cell.participants {
        return Err(format!(
            "обучающихся по баллам {pupils}, а участников {}",
            cell.participants
        ));
    }
    Ok(())
}

/// The `ege_scores` column of a cell to be written: `None`, or its checked distribution as text.
pub(crate) fn ege_scores_column(cell: &ResultCell) -> Result<Option<String>, StoreError> {
    let Some(scores) = &cell.ege_scores else {
        return Ok(None);
    };
    check_ege_scores(cell, scores)
        .map_err(|reason| StoreError::InvalidResultCell(format!("{}: {reason}", cell.label())))?;
    Ok(Some(format_ege_scores(scores)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ege_scores_text_round_trips() {
        let scores = vec![(0.0, 1), (24.0, 3), (26.5, 1), (80.0, 12), (99.125, 2)];
        let text = format_ege_scores(&scores);
        assert_eq!(text, "0:1 24:3 26.5:1 80:12 99.125:2");
        assert_eq!(parse_ege_scores(&text), Ok(scores));
        assert_eq!(parse_ege_scores(""), Ok(Vec::new()));
        let tiny = vec![(0.1 + 0.2, 7)];
        assert_eq!(parse_ege_scores(&format_ege_scores(&tiny)), Ok(tiny));
    }

    #[test]
    fn malformed_ege_scores_text_is_refused() {
        for bad in [
            " 24:3",
            "24:3 ",
            "24:3  80:1",
            "24:3,80:1",
            "24",
            "24:",
            ":3",
            "x:3",
            "24:x",
            "24:+3",
            "24:-3",
            "24:0",
            "+24:3",
            "24.0:3",
            "2.4e1:3",
            "NaN:1",
            "inf:1",
            "-1:1",
            "80:1 24:3",
            "24:3 24:1",
            "24:99999999999999999999999",
        ] {
            assert!(parse_ege_scores(bad).is_err(), "«{bad}» was accepted");
        }
    }

    fn ege_cell(participants: u64, scores: Option<Vec<(f64, u64)>>) -> ResultCell {
        ResultCell {
            school_id: SchoolId::parse("1001").expect("id"),
            year: 2024,
            procedure: Procedure::Ege,
            subject: "math".to_owned(),
            grade: 11,
            participants,
            failed: 2,
            mark2: 0,
            mark3: 0,
            mark4: 0,
            mark5: 0,
            score_sum: None,
            score_min: None,
            score_max: None,
            ege_scores: scores,
        }
    }

    #[test]
    fn a_written_distribution_must_fit_its_cell() {
        let good = ege_cell(5, Some(vec![(20.0, 2), (60.0, 3)]));
        assert!(matches!(ege_scores_column(&good), Ok(Some(t)) if t == "20:2 60:3"));
        assert!(matches!(ege_scores_column(&ege_cell(5, None)), Ok(None)));
        for bad in [
            ege_cell(6, Some(vec![(20.0, 2), (60.0, 3)])),
            ege_cell(5, Some(vec![(60.0, 3), (20.0, 2)])),
            ege_cell(5, Some(vec![(f64::NAN, 5)])),
            ege_cell(5, Some(vec![(20.0, 5), (30.0, 0)])),
            ResultCell {
                procedure: Procedure::Oge,
                ..good.clone()
            },
        ] {
            assert!(
                matches!(
                    ege_scores_column(&bad),
                    Err(StoreError::InvalidResultCell(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_rule_recounts_ege_cells_with_scores_only() {
        let mut rule = RuleConfig::default();
        rule.ege_min_score.insert("math".to_owned(), 40.0);
        let with = ege_cell(5, Some(vec![(20.0, 2), (30.0, 1), (60.0, 2)]));
        assert_eq!(with.rule_cell().failed, 2, "as stored");
        assert_eq!(with.rule_cell_for(&RuleConfig::default()).failed, 2);
        assert_eq!(with.rule_cell_for(&rule).failed, 3);
        let without = ege_cell(5, None);
        assert_eq!(without.rule_cell_for(&rule).failed, 2, "the file's count");
        rule.ege_min_score.remove("math");
        assert_eq!(
            with.rule_cell_for(&rule).failed,
            0,
            "no minimum, no failure"
        );
    }
}
