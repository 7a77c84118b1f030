//! Output cells and their accumulators.

use super::text::Score;

/// Assessment procedure. Output order is VPR < OGE < EGE (the school path).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Procedure {
    /// ВПР.
    Vpr,
    /// ОГЭ.
    Oge,
    /// ЕГЭ.
    Ege,
}

impl Procedure {
    /// Code used in files: `VPR`, `OGE`, `EGE`.
    pub fn code(self) -> &'static str {
        match self {
            Procedure::Vpr => "VPR",
            Procedure::Oge => "OGE",
            Procedure::Ege => "EGE",
        }
    }

    /// Russian abbreviation for messages.
    pub fn russian(self) -> &'static str {
        match self {
            Procedure::Vpr => "ВПР",
            Procedure::Oge => "ОГЭ",
            Procedure::Ege => "ЕГЭ",
        }
    }

    /// Parses `VPR`/`OGE`/`EGE` (any case) or `ВПР`/`ОГЭ`/`ЕГЭ` in UTF-8.
    #[inline(always)]
    pub fn parse(bytes: &[u8]) -> Option<Procedure> {
        // The usual spelling first, without a call.
        match bytes {
            b"VPR" => Some(Procedure::Vpr),
            b"OGE" => Some(Procedure::Oge),
            b"EGE" => Some(Procedure::Ege),
            _ => Procedure::parse_other(bytes),
        }
    }

    #[inline(never)]
    fn parse_other(bytes: &[u8]) -> Option<Procedure> {
        if bytes.len() == 3 {
            let mut up = [0u8; 3];
            up.copy_from_slice(bytes);
            up.make_ascii_uppercase();
            return match &up {
                b"VPR" => Some(Procedure::Vpr),
                b"OGE" => Some(Procedure::Oge),
                b"EGE" => Some(Procedure::Ege),
                _ => None,
            };
        }
        Procedure::parse_cyrillic(bytes)
    }

    #[cold]
    fn parse_cyrillic(bytes: &[u8]) -> Option<Procedure> {
        match std::str::from_utf8(bytes).ok()? {
            "ВПР" | "впр" => Some(Procedure::Vpr),
            "ОГЭ" | "огэ" => Some(Procedure::Oge),
            "ЕГЭ" | "егэ" => Some(Procedure::Ege),
            _ => None,
        }
    }

    pub(crate) fn index(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_index(i: u64) -> Procedure {
        match i {
            0 => Procedure::Vpr,
            1 => Procedure::Oge,
            _ => Procedure::Ege,
        }
    }
}

/// Per-(school, year, procedure, subject, grade) aggregate. This is the only
/// thing that persists from a results file. `Id` is how the school and the
/// subject are named: by their text, or (`u32`) by their index into the
/// sorted lists of an [`super::InternedAggregation`].
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateCell<Id = String> {
    pub school_id: Id,
    pub year: i32,
    pub procedure: Procedure,
    /// Subject code, ASCII-lowercased (`ru`, `math`, …).
    pub subject: Id,
    pub grade: u8,
    pub participants: u64,
    /// Results below the minimum threshold.
    pub failed: u64,
    pub mark2: u64,
    pub mark3: u64,
    pub mark4: u64,
    pub mark5: u64,
    /// Sum of scores; `None` when the source gives no scores (aggregated
    /// files without `mean_score`).
    pub score_sum: Option<f64>,
    /// Lowest score; known only from student-level files.
    pub score_min: Option<f64>,
    /// Highest score; known only from student-level files.
    pub score_max: Option<f64>,
    /// ЕГЭ scores with how many pupils got each, ascending: only for ЕГЭ
    /// cells of student-level files read with [`super::ResultsOptions::ege_scores`].
    /// A rule with other minimum scores recounts `failed` from them.
    pub ege_scores: Option<Vec<(f64, u64)>>,
}

impl<Id> AggregateCell<Id> {
    /// Share of failed results (0 when there are no participants).
    pub fn failed_share(&self) -> f64 {
        if self.participants == 0 {
            0.0
        } else {
            self.failed as f64 / self.participants as f64
        }
    }
}

impl AggregateCell<u32> {
    /// The same cell with its school and subject named (an index out of the
    /// lists gives an empty name).
    pub fn named(&self, schools: &[String], subjects: &[String]) -> AggregateCell {
        let name = |list: &[String], i: u32| list.get(i as usize).cloned().unwrap_or_default();
        AggregateCell {
            school_id: name(schools, self.school_id),
            year: self.year,
            procedure: self.procedure,
            subject: name(subjects, self.subject),
            grade: self.grade,
            participants: self.participants,
            failed: self.failed,
            mark2: self.mark2,
            mark3: self.mark3,
            mark4: self.mark4,
            mark5: self.mark5,
            score_sum: self.score_sum,
            score_min: self.score_min,
            score_max: self.score_max,
            ege_scores: self.ege_scores.clone(),
        }
    }
}

/// Accumulator of one cell during a scan.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CellAcc {
    pub participants: u32,
    pub failed: u32,
    pub marks: [u32; 4],
    /// Exact sum, in thousandths, of scores with ≤ 3 decimals.
    pub score_milli: i64,
    /// Sum of the other scores.
    pub score_other: f64,
    pub score_min: f64,
    pub score_max: f64,
}

impl Default for CellAcc {
    fn default() -> Self {
        CellAcc {
            participants: 0,
            failed: 0,
            marks: [0; 4],
            score_milli: 0,
            score_other: 0.0,
            score_min: f64::INFINITY,
            score_max: f64::NEG_INFINITY,
        }
    }
}

impl CellAcc {
    #[inline]
    pub fn add(&mut self, score: Score, mark: Option<u8>, failed: bool) {
        self.participants = self.participants.saturating_add(1);
        self.failed = self.failed.saturating_add(u32::from(failed));
        if let Some(m @ 2..=5) = mark {
            let slot = &mut self.marks[usize::from(m - 2)];
            *slot = slot.saturating_add(1);
        }
        match score.milli {
            Some(milli) => self.score_milli = self.score_milli.saturating_add(milli),
            None => self.score_other += score.value,
        }
        self.score_min = self.score_min.min(score.value);
        self.score_max = self.score_max.max(score.value);
    }

    pub fn merge(&mut self, other: &CellAcc) {
        self.participants = self.participants.saturating_add(other.participants);
        self.failed = self.failed.saturating_add(other.failed);
        for (a, b) in self.marks.iter_mut().zip(other.marks) {
            *a = a.saturating_add(b);
        }
        self.score_milli = self.score_milli.saturating_add(other.score_milli);
        self.score_other += other.score_other;
        self.score_min = self.score_min.min(other.score_min);
        self.score_max = self.score_max.max(other.score_max);
    }

    pub fn into_cell<Id>(
        self,
        school_id: Id,
        year: i32,
        procedure: Procedure,
        subject: Id,
        grade: u8,
    ) -> AggregateCell<Id> {
        let present = self.participants > 0;
        AggregateCell {
            school_id,
            year,
            procedure,
            subject,
            grade,
            participants: u64::from(self.participants),
            failed: u64::from(self.failed),
            mark2: u64::from(self.marks[0]),
            mark3: u64::from(self.marks[1]),
            mark4: u64::from(self.marks[2]),
            mark5: u64::from(self.marks[3]),
            score_sum: Some(self.score_milli as f64 / 1000.0 + self.score_other),
            score_min: present.then_some(self.score_min),
            score_max: present.then_some(self.score_max),
            ege_scores: None,
        }
    }
}

/// Packs a cell key into 64 bits: school (24) | year (14) | procedure (2) |
/// subject (16) | grade (4) — so numeric order is the output order when the
/// school and subject ids are ranks of the sorted names.
#[inline]
pub(crate) fn pack_key(
    school: u32,
    year: u16,
    procedure: Procedure,
    subject: u32,
    grade: u8,
) -> u64 {
    (u64::from(school) << 40)
        | (u64::from(year) << 26)
        | (u64::from(procedure.index()) << 24)
        | (u64::from(subject) << 4)
        | u64::from(grade & 0x0f)
}

/// Unpacked cell key.
pub(crate) struct KeyParts {
    pub school: u32,
    pub year: u16,
    pub procedure: Procedure,
    pub subject: u32,
    pub grade: u8,
}

pub(crate) fn unpack_key(key: u64) -> KeyParts {
    KeyParts {
        school: (key >> 40) as u32,
        year: ((key >> 26) & 0x3fff) as u16,
        procedure: Procedure::from_index((key >> 24) & 0x3),
        subject: ((key >> 4) & 0xffff) as u32,
        grade: (key & 0x0f) as u8,
    }
}

/// Cells of one worker by packed key. A small direct-mapped cache of recent
/// keys finds a row's cell: rows of one school come together, so most rows
/// hit one of a few recent cells. A miss appends a new entry without looking
/// further (no hash index: with millions of cells its inserts cost more than
/// all the hits); an evicted cell seen again gets a second entry, and the
/// entries are sorted and merged whenever their number has doubled, so they
/// stay within twice the number of distinct cells.
pub(crate) struct CellMap {
    cells: Vec<(u64, CellAcc)>,
    /// (key, position in `cells`); `EMPTY` keys mark free slots.
    recent: [(u64, u32); RECENT],
    /// Number of entries after the last merge.
    merged: usize,
}

const RECENT: usize = 256;
/// Never a packed key: its year bits would be 16 383.
const EMPTY: u64 = u64::MAX;
/// Entries before the first merge.
const FIRST_MERGE: usize = 1 << 16;

impl Default for CellMap {
    fn default() -> Self {
        CellMap {
            cells: Vec::new(),
            recent: [(EMPTY, 0); RECENT],
            merged: 0,
        }
    }
}

impl CellMap {
    /// The accumulator of `key`, created empty when new.
    #[inline]
    pub fn entry(&mut self, key: u64) -> &mut CellAcc {
        let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % RECENT;
        let at = match self.recent[slot] {
            (k, at) if k == key => at,
            _ => {
                let at = self.append(key);
                self.recent[slot] = (key, at);
                at
            }
        };
        &mut self.cells[at as usize].1
    }

    #[inline(never)]
    fn append(&mut self, key: u64) -> u32 {
        if self.cells.len() >= (2 * self.merged).max(FIRST_MERGE) {
            self.merge();
        }
        self.cells.push((key, CellAcc::default()));
        (self.cells.len() - 1) as u32
    }

    /// Sorts the entries by key and merges those of the same cell (the
    /// positions in `recent` are then stale, so it is emptied).
    fn merge(&mut self) {
        self.cells.sort_unstable_by_key(|(k, _)| *k);
        self.cells.dedup_by(|(k, acc), (kept, into)| {
            let same = k == kept;
            if same {
                into.merge(acc);
            }
            same
        });
        self.recent = [(EMPTY, 0); RECENT];
        self.merged = self.cells.len();
    }

    /// The cells, sorted by key, each once.
    pub fn into_cells(mut self) -> Vec<(u64, CellAcc)> {
        self.merge();
        self.cells
    }
}

/// Largest school id that fits the packed key.
pub(crate) const MAX_SCHOOLS: usize = 1 << 24;
/// Largest subject id that fits the packed key.
pub(crate) const MAX_SUBJECTS: usize = 1 << 16;

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys revisited after being evicted from the cache, and more entries
    /// than the first merge: every cell once, with all its rows.
    #[test]
    fn cells_seen_again_after_eviction_are_merged() {
        let mut map = CellMap::default();
        let keys = 3 * FIRST_MERGE as u64;
        for round in 0..3 {
            for k in 0..keys {
                // A different order each round, so the cache misses.
                let key = (k * 7919 + round * 104_729) % keys;
                map.entry(key).add(
                    Score {
                        value: 1.0,
                        milli: Some(1000),
                    },
                    Some(2),
                    true,
                );
            }
        }
        let cells = map.into_cells();
        assert_eq!(cells.len() as u64, keys);
        assert!(cells.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(cells.iter().all(|(_, acc)| acc.participants == 3
            && acc.failed == 3
            && acc.marks[0] == 3
            && acc.score_milli == 3000));
    }
}
