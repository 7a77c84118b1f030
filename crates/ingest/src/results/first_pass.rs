//! First pass: validate rows, aggregate valid ones per cell, and emit
//! duplicate-detection hashes.

use std::collections::HashSet;

use super::cell::{CellAcc, pack_key};
use super::error::ProblemLog;
use super::hash::FxHashMap;
use super::scan::{LineVisitor, MAX_LINE_BYTES, ScanFail};
use super::spill::HashSpill;
use super::split::{LineKind, Splitter};
use super::tables::{SchoolTable, SubjectTable, duplicate_hash};
use super::validate::{is_failed, unknown_school_message, validate};

/// Settings shared by the workers of every pass.
pub(crate) struct Shared<'a> {
    pub sep: u8,
    pub map: Vec<Option<u8>>,
    pub ege_min: FxHashMap<Vec<u8>, f64>,
    pub directory: Option<&'a HashSet<String>>,
}

impl Shared<'_> {
    pub fn splitter(&self) -> Splitter {
        Splitter::new(self.sep, self.map.clone())
    }
}

/// Message for a line longer than the limit.
pub(crate) fn overlong_message() -> String {
    format!("строка длиннее {} МиБ", MAX_LINE_BYTES >> 20)
}

/// Worker state of the first pass. Problem lines are range-relative indexes
/// until the caller fixes them up.
pub(crate) struct FirstPass<'a> {
    shared: &'a Shared<'a>,
    splitter: Splitter,
    pub schools: SchoolTable,
    pub subjects: SubjectTable,
    pub cells: FxHashMap<u64, CellAcc>,
    pub spill: HashSpill<'a>,
    pub problems: ProblemLog,
    /// Data lines seen (valid or not; blank lines and headers excluded).
    pub rows: u64,
}

impl<'a> FirstPass<'a> {
    pub fn new(shared: &'a Shared<'a>, spill: HashSpill<'a>) -> FirstPass<'a> {
        FirstPass {
            shared,
            splitter: shared.splitter(),
            schools: SchoolTable::default(),
            subjects: SubjectTable::default(),
            cells: FxHashMap::default(),
            spill,
            problems: ProblemLog::default(),
            rows: 0,
        }
    }
}

impl LineVisitor for FirstPass<'_> {
    #[inline]
    fn line(&mut self, index: u64, bytes: &[u8]) -> Result<(), ScanFail> {
        let fields = match self.splitter.classify(bytes) {
            LineKind::Blank | LineKind::Header => return Ok(()),
            LineKind::Bad(message) => {
                self.rows += 1;
                self.problems.push(index, message);
                return Ok(());
            }
            LineKind::Data(fields) => fields,
        };
        self.rows += 1;
        let row = match validate(&fields) {
            Ok(row) => row,
            Err(message) => {
                self.problems.push(index, message);
                return Ok(());
            }
        };
        let (school, known) = self.schools.intern(row.school, self.shared.directory)?;
        if !known {
            self.problems
                .push(index, unknown_school_message(row.school));
            return Ok(());
        }
        let subject_id = self.subjects.intern(row.subject, &self.shared.ege_min)?;
        let (subject_hash, ege_min) = match self.subjects.entries.get(subject_id as usize) {
            Some(e) => (e.hash, e.ege_min),
            None => (0, None),
        };
        let failed = is_failed(&row, ege_min);
        let key = pack_key(school, row.year, row.procedure, subject_id, row.grade);
        self.cells
            .entry(key)
            .or_default()
            .add(row.score, row.mark, failed);
        self.spill.push(duplicate_hash(
            row.year,
            row.procedure.index(),
            subject_hash,
            row.student,
        ))?;
        Ok(())
    }

    fn overlong(&mut self, index: u64) {
        self.rows += 1;
        self.problems.push(index, overlong_message());
    }
}
