//! Options of the student-level reader.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::ops::RangeInclusive;
use std::path::PathBuf;

/// Progress callback: (bytes done, bytes total). Called from worker threads.
pub type ProgressFn = Box<dyn Fn(u64, u64) + Send + Sync>;

/// Options of [`super::aggregate_file`].
pub struct ResultsOptions {
    /// EGE minimum score per subject code (lowercase). Subjects not listed
    /// never fail on EGE. Defaults: `ru` 24, `math` 27.
    pub ege_min: BTreeMap<String, f64>,
    /// When given, rows of other schools are problems.
    pub known_schools: Option<HashSet<String>>,
    /// Skip and list bad rows instead of rejecting the whole file.
    pub skip_bad_rows: bool,
    /// Worker threads (byte ranges of the file). Default 2.
    pub threads: usize,
    /// Read buffer per worker. Default 8 MiB; tests use tiny values.
    pub block_size: usize,
    /// Where duplicate-detection hashes spill (default: the system temp dir).
    pub spill_dir: Option<PathBuf>,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
    /// Which cells to return. Every row is still read and checked whatever
    /// it says; only the aggregation is limited. Default: all cells.
    pub cells: CellFilter,
    /// Keep every ЕГЭ cell's scores with their counts
    /// ([`super::AggregateCell::ege_scores`]), so stored cells can be
    /// recounted for other minimum scores. Default: off.
    pub ege_scores: bool,
}

/// A choice of cells by subject and year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CellFilter {
    /// Subject codes to keep, compared with the canonical (ASCII-lowercase)
    /// code; `None` keeps every subject.
    pub subjects: Option<BTreeSet<String>>,
    /// Years to keep; `None` keeps every year.
    pub years: Option<RangeInclusive<i32>>,
}

impl CellFilter {
    /// Whether cells of this canonical subject code are kept (in some year).
    pub fn keeps_subject(&self, canonical: &[u8]) -> bool {
        self.subjects
            .as_ref()
            .is_none_or(|set| std::str::from_utf8(canonical).is_ok_and(|s| set.contains(s)))
    }

    /// Whether cells of this year are kept (for a kept subject).
    pub fn keeps_year(&self, year: u16) -> bool {
        self.years
            .as_ref()
            .is_none_or(|range| range.contains(&i32::from(year)))
    }
}

/// Default EGE minimum scores: `ru` 24, `math` 27.
pub fn default_ege_min() -> BTreeMap<String, f64> {
    BTreeMap::from([("ru".to_owned(), 24.0), ("math".to_owned(), 27.0)])
}

impl Default for ResultsOptions {
    fn default() -> Self {
        ResultsOptions {
            ege_min: default_ege_min(),
            known_schools: None,
            skip_bad_rows: false,
            threads: 2,
            block_size: 8 << 20,
            spill_dir: None,
            progress: None,
            cells: CellFilter::default(),
            ege_scores: false,
        }
    }
}

impl fmt::Debug for ResultsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResultsOptions")
            .field("ege_min", &self.ege_min)
            .field(
                "known_schools",
                &self.known_schools.as_ref().map(HashSet::len),
            )
            .field("skip_bad_rows", &self.skip_bad_rows)
            .field("threads", &self.threads)
            .field("block_size", &self.block_size)
            .field("spill_dir", &self.spill_dir)
            .field("progress", &self.progress.is_some())
            .field("cells", &self.cells)
            .field("ege_scores", &self.ege_scores)
            .finish()
    }
}
