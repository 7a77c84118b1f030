//! Confirming duplicates (second pass) and recomputing the cells they
//! touched when repeats are skipped (third pass). Both passes run only when
//! the first pass found repeated hashes, so a clean file is read once.
//!
//! A hash match is never trusted: the second pass collects the rows whose
//! hash repeats and compares their real keys byte for byte, so a 64-bit
//! collision can never reject or drop a valid row.

use super::cell::{CellAcc, Procedure};
use super::error::ProblemLog;
use super::fast::parse_canonical;
use super::first_pass::Shared;
use super::hash::{FxHashMap, FxHashSet};
use super::scan::{LineVisitor, ScanFail};
use super::split::{LineKind, Splitter};
use super::tables::{duplicate_hash, subject_hash};
use super::text::{Score, display};
use super::validate::{RawRow, is_failed, school_known, validate};

/// Owned cell key: (school, year, procedure, canonical subject, grade).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CellKey {
    pub school: Box<[u8]>,
    pub year: u16,
    pub procedure: Procedure,
    pub subject: Box<[u8]>,
    pub grade: u8,
}

/// A row whose duplicate hash repeats.
struct Candidate {
    line: u64,
    /// Exact duplicate key: year, procedure, subject, student.
    key: Box<[u8]>,
    cell: CellKey,
}

/// Valid rows (as in the first pass) with their absolute line.
fn valid_row<'s>(
    shared: &Shared<'_>,
    splitter: &'s mut Splitter,
    bytes: &'s [u8],
) -> Option<RawRow<'s>> {
    let fast = if shared.canonical {
        parse_canonical(bytes, shared.sep)
    } else {
        None
    };
    let row = match fast {
        Some(row) => row,
        None => match splitter.classify(bytes) {
            LineKind::Data(fields) => validate(&fields).ok()?,
            _ => return None,
        },
    };
    school_known(shared.directory, row.school).then_some(row)
}

fn canonical_subject_into(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(raw.iter().map(u8::to_ascii_lowercase));
}

/// Second pass worker: collects candidate rows.
pub(crate) struct CollectCandidates<'a> {
    shared: &'a Shared<'a>,
    splitter: Splitter,
    first_line: u64,
    repeated: &'a FxHashMap<u64, u32>,
    subject_buf: Vec<u8>,
    found: Vec<Candidate>,
}

impl<'a> CollectCandidates<'a> {
    pub fn new(shared: &'a Shared<'a>, first_line: u64, repeated: &'a FxHashMap<u64, u32>) -> Self {
        CollectCandidates {
            shared,
            splitter: shared.splitter(),
            first_line,
            repeated,
            subject_buf: Vec::new(),
            found: Vec::new(),
        }
    }
}

impl LineVisitor for CollectCandidates<'_> {
    fn line(&mut self, index: u64, bytes: &[u8]) -> Result<(), ScanFail> {
        let Some(row) = valid_row(self.shared, &mut self.splitter, bytes) else {
            return Ok(());
        };
        canonical_subject_into(row.subject, &mut self.subject_buf);
        let hash = duplicate_hash(
            row.year,
            row.procedure.index(),
            subject_hash(&self.subject_buf),
            row.student,
        );
        if !self.repeated.contains_key(&hash) {
            return Ok(());
        }
        let mut key = Vec::with_capacity(4 + self.subject_buf.len() + row.student.len());
        key.extend_from_slice(&row.year.to_le_bytes());
        key.push(row.procedure.index());
        key.push(self.subject_buf.len() as u8);
        key.extend_from_slice(&self.subject_buf);
        key.extend_from_slice(row.student);
        self.found.push(Candidate {
            line: self.first_line + index,
            key: key.into_boxed_slice(),
            cell: CellKey {
                school: row.school.into(),
                year: row.year,
                procedure: row.procedure,
                subject: self.subject_buf.as_slice().into(),
                grade: row.grade,
            },
        });
        Ok(())
    }

    fn overlong(&mut self, _index: u64) {}
}

/// What the second pass established.
#[derive(Default)]
pub(crate) struct Repeats {
    /// One problem per repeated row (not the first occurrence).
    pub problems: ProblemLog,
    /// Lines of the repeated rows.
    pub lines: FxHashSet<u64>,
    /// Cells that hold repeated rows.
    pub cells: FxHashSet<CellKey>,
}

/// Groups candidates by their exact key; in each group the first line is
/// the kept result, the others are repeats.
pub(crate) fn resolve(collectors: Vec<CollectCandidates<'_>>) -> Repeats {
    let mut all: Vec<Candidate> = collectors.into_iter().flat_map(|c| c.found).collect();
    all.sort_unstable_by(|a, b| a.key.cmp(&b.key).then(a.line.cmp(&b.line)));
    let mut repeats = Repeats::default();
    let mut found: Vec<(u64, String)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j].key == all[i].key {
            j += 1;
        }
        let first = &all[i];
        for dup in &all[i + 1..j] {
            found.push((
                dup.line,
                format!(
                    "повтор результата обучающегося ({} {}, {}); первый раз — строка {}",
                    dup.cell.procedure.russian(),
                    dup.cell.year,
                    display(&dup.cell.subject),
                    first.line
                ),
            ));
            repeats.lines.insert(dup.line);
            repeats.cells.insert(dup.cell.clone());
        }
        i = j;
    }
    found.sort_unstable_by_key(|(line, _)| *line);
    for (line, message) in found {
        repeats.problems.push(line, message);
    }
    repeats
}

/// Third pass worker: re-aggregates the touched cells without the repeats.
pub(crate) struct RecomputeCells<'a> {
    shared: &'a Shared<'a>,
    splitter: Splitter,
    first_line: u64,
    repeats: &'a Repeats,
    schools: FxHashSet<Box<[u8]>>,
    pub cells: FxHashMap<CellKey, CellAcc>,
    /// ЕГЭ scores of the recounted cells, when asked for.
    pub ege_scores: Vec<(CellKey, u64)>,
}

impl<'a> RecomputeCells<'a> {
    pub fn new(shared: &'a Shared<'a>, first_line: u64, repeats: &'a Repeats) -> Self {
        RecomputeCells {
            shared,
            splitter: shared.splitter(),
            first_line,
            repeats,
            schools: repeats.cells.iter().map(|c| c.school.clone()).collect(),
            cells: FxHashMap::default(),
            ege_scores: Vec::new(),
        }
    }
}

impl LineVisitor for RecomputeCells<'_> {
    fn line(&mut self, index: u64, bytes: &[u8]) -> Result<(), ScanFail> {
        let Some(row) = valid_row(self.shared, &mut self.splitter, bytes) else {
            return Ok(());
        };
        if !self.schools.contains(row.school)
            || self.repeats.lines.contains(&(self.first_line + index))
        {
            return Ok(());
        }
        let subject = row.subject.to_ascii_lowercase();
        let key = CellKey {
            school: row.school.into(),
            year: row.year,
            procedure: row.procedure,
            subject: subject.into_boxed_slice(),
            grade: row.grade,
        };
        if !self.repeats.cells.contains(&key) {
            return Ok(());
        }
        let ege_min = self.shared.ege_min.get(&*key.subject).copied();
        let failed = is_failed(&row, ege_min);
        if self.shared.ege_scores && row.procedure == Procedure::Ege {
            self.ege_scores
                .push((key.clone(), row.score.value.to_bits()));
        }
        add(
            self.cells.entry(key).or_default(),
            row.score,
            row.mark,
            failed,
        );
        Ok(())
    }

    fn overlong(&mut self, _index: u64) {}
}

fn add(acc: &mut CellAcc, score: Score, mark: Option<u8>, failed: bool) {
    acc.add(score, mark, failed);
}
