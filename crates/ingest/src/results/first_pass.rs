//! First pass: validate rows, aggregate valid ones per cell, and emit
//! duplicate-detection hashes.

use std::collections::HashSet;

use super::cell::{CellMap, Procedure, pack_key};
use super::error::ProblemLog;
use super::fast::{LineCutter, parse_canonical};
use super::hash::FxHashMap;
use super::options::CellFilter;
use super::scan::{LineVisitor, MAX_LINE_BYTES, ScanFail};
use super::spill::HashSpill;
use super::split::{FIELDS, LineKind, Splitter};
use super::tables::{SchoolTable, SubjectTable, duplicate_hash};
use super::validate::{RawRow, is_failed, unknown_school_message, validate};

/// Settings shared by the workers of every pass.
pub(crate) struct Shared<'a> {
    pub sep: u8,
    pub map: Vec<Option<u8>>,
    pub ege_min: FxHashMap<Vec<u8>, f64>,
    pub directory: Option<&'a HashSet<String>>,
    /// Cells to keep.
    pub filter: &'a CellFilter,
    /// Whether the columns are exactly the canonical ones in canonical
    /// order, so rows may take the fast path.
    pub canonical: bool,
    /// Whether ЕГЭ scores are kept per cell (`ResultsOptions::ege_scores`).
    pub ege_scores: bool,
}

impl Shared<'_> {
    pub fn splitter(&self) -> Splitter {
        Splitter::new(self.sep, self.map.clone())
    }

    /// Whether a column map is the canonical layout.
    pub fn is_canonical(map: &[Option<u8>]) -> bool {
        map.len() == FIELDS && map.iter().enumerate().all(|(i, c)| *c == Some(i as u8))
    }
}

/// Message for a line longer than the limit.
pub(crate) fn overlong_message() -> String {
    format!("строка длиннее {} МиБ", MAX_LINE_BYTES >> 20)
}

/// Worker state of the first pass. Problem lines are range-relative indexes
/// until the caller fixes them up.
pub(crate) struct FirstPass<'a> {
    splitter: Splitter,
    pub out: FirstOut<'a>,
}

/// What the first pass of one range gathers.
pub(crate) struct FirstOut<'a> {
    shared: &'a Shared<'a>,
    pub schools: SchoolTable,
    pub subjects: SubjectTable,
    pub cells: CellMap,
    /// (packed cell key, score bits) of every kept ЕГЭ row, when asked for.
    pub ege_scores: Vec<(u64, u64)>,
    pub spill: HashSpill<'a>,
    pub problems: ProblemLog,
    /// Data lines seen (valid or not; blank lines and headers excluded).
    pub rows: u64,
}

impl<'a> FirstPass<'a> {
    pub fn new(shared: &'a Shared<'a>, spill: HashSpill<'a>) -> FirstPass<'a> {
        FirstPass {
            splitter: shared.splitter(),
            out: FirstOut {
                shared,
                schools: SchoolTable::default(),
                subjects: SubjectTable::default(),
                cells: CellMap::default(),
                ege_scores: Vec::new(),
                spill,
                problems: ProblemLog::default(),
                rows: 0,
            },
        }
    }
}

impl LineVisitor for FirstPass<'_> {
    #[inline]
    fn line(&mut self, index: u64, bytes: &[u8]) -> Result<(), ScanFail> {
        let out = &mut self.out;
        if out.shared.canonical
            && let Some(row) = parse_canonical(bytes, out.shared.sep)
        {
            out.rows += 1;
            return out.valid(index, &row);
        }
        let fields = match self.splitter.classify(bytes) {
            LineKind::Blank | LineKind::Header => return Ok(()),
            LineKind::Bad(message) => {
                out.rows += 1;
                out.problems.push(index, message);
                return Ok(());
            }
            LineKind::Data(fields) => fields,
        };
        out.rows += 1;
        match validate(&fields) {
            Ok(row) => out.valid(index, &row),
            Err(message) => {
                out.problems.push(index, message);
                Ok(())
            }
        }
    }

    /// Lines of the canonical layout are cut and split in one walk
    /// ([`LineCutter`]); any other line goes to [`LineVisitor::line`].
    #[inline]
    fn lines(&mut self, index: &mut u64, bytes: &[u8]) -> Result<(), ScanFail> {
        if !self.out.shared.canonical {
            let mut pos = 0;
            while let Some(rest) = bytes.get(pos..)
                && !rest.is_empty()
            {
                let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                self.line(*index, rest.get(..end).unwrap_or(rest))?;
                *index += 1;
                pos += end + 1;
            }
            return Ok(());
        }
        let mut cutter = LineCutter::new(bytes, self.out.shared.sep);
        while let Some((line, row)) = cutter.next_line() {
            match row {
                Some(row) => {
                    self.out.rows += 1;
                    self.out.valid(*index, &row)?;
                }
                None => self.line(*index, line)?,
            }
            *index += 1;
        }
        Ok(())
    }

    fn overlong(&mut self, index: u64) {
        self.out.rows += 1;
        self.out.problems.push(index, overlong_message());
    }

    fn finish(&mut self) -> Result<(), ScanFail> {
        Ok(self.out.spill.finish()?)
    }
}

impl FirstOut<'_> {
    /// A row whose fields are valid: checks the school, aggregates, hashes.
    #[inline]
    fn valid(&mut self, index: u64, row: &RawRow<'_>) -> Result<(), ScanFail> {
        let (school, known) = self.schools.intern(row.school, self.shared.directory)?;
        if !known {
            self.problems
                .push(index, unknown_school_message(row.school));
            return Ok(());
        }
        let subject_id =
            self.subjects
                .intern(row.subject, &self.shared.ege_min, self.shared.filter)?;
        let (subject_hash, ege_min, keep) = match self.subjects.entries.get(subject_id as usize) {
            Some(e) => (e.hash, e.ege_min, e.keep),
            None => (0, None, false),
        };
        if keep && self.shared.filter.keeps_year(row.year) {
            let failed = is_failed(row, ege_min);
            let key = pack_key(school, row.year, row.procedure, subject_id, row.grade);
            self.cells.entry(key).add(row.score, row.mark, failed);
            if self.shared.ege_scores && row.procedure == Procedure::Ege {
                self.ege_scores.push((key, row.score.value.to_bits()));
            }
        }
        self.spill.push(duplicate_hash(
            row.year,
            row.procedure.index(),
            subject_hash,
            row.student,
        ))?;
        Ok(())
    }
}
