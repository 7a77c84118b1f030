//! Per-worker interning of school ids and subject codes into compact ids.

use std::collections::HashSet;

use super::cell::{MAX_SCHOOLS, MAX_SUBJECTS};
use super::hash::{FxHashMap, fmix64, hash_bytes, load_u64};
use super::options::CellFilter;
use super::scan::ScanFail;
use super::validate::school_known;

/// Seed of subject-code hashes.
const SUBJECT_SEED: u64 = 0x5ab1_ec7c_0de5_eed5;

/// Hash of a canonical subject code (part of the duplicate key).
pub(crate) fn subject_hash(canonical: &[u8]) -> u64 {
    hash_bytes(SUBJECT_SEED, canonical)
}

/// Hash of a duplicate-detection key (year, procedure, subject, student).
#[inline(always)]
pub(crate) fn duplicate_hash(year: u16, procedure: u8, subject_hash: u64, student: &[u8]) -> u64 {
    let seed = subject_hash
        ^ (u64::from(year) << 8 | u64::from(procedure)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let n = student.len();
    if n <= 16 {
        // Pupil ids are short: their first and last eight bytes and their
        // length determine them, so two loads and one mix replace the loop
        // (a match is still confirmed against the real key).
        let last = if n > 8 {
            load_u64(student.get(n - 8..).unwrap_or(student))
        } else {
            0
        };
        return fmix64(
            (seed ^ load_u64(student)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
                ^ last.wrapping_mul(0x94d0_49bb_1331_11eb)
                ^ n as u64,
        );
    }
    hash_bytes(seed, student)
}

/// One interned subject.
pub(crate) struct SubjectEntry {
    pub canonical: Box<[u8]>,
    pub hash: u64,
    pub ege_min: Option<f64>,
    /// Whether its cells are kept (see [`CellFilter`]).
    pub keep: bool,
}

/// Subjects seen by one worker (a handful: linear search). Spellings of up
/// to eight bytes are also remembered as they were written, so a lookup is
/// one comparison of a machine word per known spelling.
pub(crate) struct SubjectTable {
    pub entries: Vec<SubjectEntry>,
    /// (spelling as a zero-padded word, its length, subject id).
    spellings: Vec<(u64, usize, u32)>,
    /// Recently seen short spellings by a hash of their word, checked
    /// before the list: (word, length, id); length 0 marks a free slot.
    recent: [(u64, usize, u32); RECENT_SPELLINGS],
}

/// Slots of [`SubjectTable::recent`] (a power of two).
const RECENT_SPELLINGS: usize = 32;

impl Default for SubjectTable {
    fn default() -> Self {
        SubjectTable {
            entries: Vec::new(),
            spellings: Vec::new(),
            recent: [(0, 0, 0); RECENT_SPELLINGS],
        }
    }
}

impl SubjectTable {
    #[inline]
    pub fn intern(
        &mut self,
        raw: &[u8],
        ege_min: &FxHashMap<Vec<u8>, f64>,
        filter: &CellFilter,
    ) -> Result<u32, ScanFail> {
        let short = !raw.is_empty() && raw.len() <= 8;
        if short {
            let w = load_u64(raw);
            let slot = (w.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 59) as usize % RECENT_SPELLINGS;
            if let Some(&(sw, len, id)) = self.recent.get(slot)
                && sw == w
                && len == raw.len()
            {
                return Ok(id);
            }
            if let Some(&(_, _, id)) = self
                .spellings
                .iter()
                .find(|&&(sw, len, _)| sw == w && len == raw.len())
            {
                if let Some(entry) = self.recent.get_mut(slot) {
                    *entry = (w, raw.len(), id);
                }
                return Ok(id);
            }
        }
        let id = match self
            .entries
            .iter()
            .position(|e| e.canonical.eq_ignore_ascii_case(raw))
        {
            Some(i) => i as u32,
            None => {
                if self.entries.len() >= MAX_SUBJECTS {
                    return Err(ScanFail::TooMany("subject"));
                }
                let canonical = raw.to_ascii_lowercase();
                self.entries.push(SubjectEntry {
                    hash: subject_hash(&canonical),
                    ege_min: ege_min.get(&canonical).copied(),
                    keep: filter.keeps_subject(&canonical),
                    canonical: canonical.into_boxed_slice(),
                });
                (self.entries.len() - 1) as u32
            }
        };
        // Remember a bounded number of spellings (case variants are few).
        if short && self.spellings.len() < 256 {
            self.spellings.push((load_u64(raw), raw.len(), id));
        }
        Ok(id)
    }
}

/// Byte equality without a `memcmp` call for short values.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    match a.len() {
        n if n != b.len() => false,
        0..=8 => load_u64(a) == load_u64(b),
        9..=16 => {
            load_u64(a) == load_u64(b) && load_u64(&a[a.len() - 8..]) == load_u64(&b[b.len() - 8..])
        }
        _ => a == b,
    }
}

/// Schools seen by one worker, with their directory membership.
#[derive(Default)]
pub(crate) struct SchoolTable {
    map: FxHashMap<Box<[u8]>, u32>,
    pub names: Vec<Box<[u8]>>,
    known: Vec<bool>,
    last: Option<u32>,
}

impl SchoolTable {
    /// Returns (id, known in the directory).
    #[inline]
    pub fn intern(
        &mut self,
        raw: &[u8],
        directory: Option<&HashSet<String>>,
    ) -> Result<(u32, bool), ScanFail> {
        if let Some(id) = self.last
            && let Some(name) = self.names.get(id as usize)
            && same_bytes(name, raw)
        {
            return Ok((id, self.known.get(id as usize).copied().unwrap_or(false)));
        }
        let id = match self.map.get(raw) {
            Some(&id) => id,
            None => {
                if self.names.len() >= MAX_SCHOOLS {
                    return Err(ScanFail::TooMany("school_id"));
                }
                let id = self.names.len() as u32;
                let name: Box<[u8]> = raw.into();
                self.map.insert(name.clone(), id);
                self.names.push(name);
                self.known.push(school_known(directory, raw));
                id
            }
        };
        self.last = Some(id);
        Ok((id, self.known.get(id as usize).copied().unwrap_or(false)))
    }
}
