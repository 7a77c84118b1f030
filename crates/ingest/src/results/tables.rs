//! Per-worker interning of school ids and subject codes into compact ids.

use std::collections::HashSet;

use super::cell::{MAX_SCHOOLS, MAX_SUBJECTS};
use super::hash::{FxHashMap, hash_bytes};
use super::scan::ScanFail;
use super::validate::school_known;

/// Seed of subject-code hashes.
const SUBJECT_SEED: u64 = 0x5ab1_ec7c_0de5_eed5;

/// Hash of a canonical subject code (part of the duplicate key).
pub(crate) fn subject_hash(canonical: &[u8]) -> u64 {
    hash_bytes(SUBJECT_SEED, canonical)
}

/// Hash of a duplicate-detection key (year, procedure, subject, student).
#[inline]
pub(crate) fn duplicate_hash(year: u16, procedure: u8, subject_hash: u64, student: &[u8]) -> u64 {
    let seed = subject_hash
        ^ (u64::from(year) << 8 | u64::from(procedure)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    hash_bytes(seed, student)
}

/// One interned subject.
pub(crate) struct SubjectEntry {
    pub canonical: Box<[u8]>,
    pub hash: u64,
    pub ege_min: Option<f64>,
}

/// Subjects seen by one worker (a handful: linear search with a last-hit cache).
#[derive(Default)]
pub(crate) struct SubjectTable {
    pub entries: Vec<SubjectEntry>,
    last: usize,
}

impl SubjectTable {
    #[inline]
    pub fn intern(
        &mut self,
        raw: &[u8],
        ege_min: &FxHashMap<Vec<u8>, f64>,
    ) -> Result<u32, ScanFail> {
        if let Some(e) = self.entries.get(self.last)
            && e.canonical.eq_ignore_ascii_case(raw)
        {
            return Ok(self.last as u32);
        }
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.canonical.eq_ignore_ascii_case(raw))
        {
            self.last = i;
            return Ok(i as u32);
        }
        if self.entries.len() >= MAX_SUBJECTS {
            return Err(ScanFail::TooMany("subject"));
        }
        let canonical = raw.to_ascii_lowercase();
        self.entries.push(SubjectEntry {
            hash: subject_hash(&canonical),
            ege_min: ege_min.get(&canonical).copied(),
            canonical: canonical.into_boxed_slice(),
        });
        self.last = self.entries.len() - 1;
        Ok(self.last as u32)
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
            && **name == *raw
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
