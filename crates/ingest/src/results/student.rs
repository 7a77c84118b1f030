//! `aggregate_file`: student-level results → per-school aggregates.
//!
//! Pass 1 (always): N threads scan N byte ranges, validate, aggregate valid
//! rows into per-worker maps keyed by packed compact ids, and spill
//! duplicate-key hashes (see `spill`). Then repeated hashes are found
//! partition by partition. Pass 2 runs only if some hash repeats: it
//! confirms duplicates by their real keys. Pass 3 runs only when repeats are
//! skipped: it recomputes the cells they touched.

use std::fs::File;
use std::io;
use std::path::Path;

use super::cell::{AggregateCell, CellAcc, pack_key, unpack_key};
use super::duplicates::{CollectCandidates, RecomputeCells, Repeats, resolve};
use super::error::{Problem, ProblemLog, ResultsError};
use super::first_pass::{FirstPass, Shared};
use super::hash::{FxHashMap, FxHashSet};
use super::header::{STUDENT_COLUMNS, map_columns, read_header};
use super::options::ResultsOptions;
use super::scan::{ScanFail, ScanSetup, scan_ranges, split_ranges};
use super::spill::{HashSpill, SpillFiles, repeated_hashes};
use super::text::decode_owned;

/// Byte ranges per worker thread.
const RANGES_PER_THREAD: usize = 4;

/// Rows sharing repeated hashes that the second pass may hold in memory.
pub const MAX_DUPLICATE_ROWS: u64 = 2_000_000;

/// Result of [`aggregate_file`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregation {
    /// Cells sorted by (school_id, year, procedure, subject, grade).
    pub cells: Vec<AggregateCell>,
    /// Data rows read (blank lines and header lines excluded).
    pub rows: u64,
    /// Skipped rows (only with `skip_bad_rows`; repeats included), in line
    /// order, at most [`super::STORED_PROBLEMS`].
    pub skipped: Vec<Problem>,
    /// Number of all skipped rows.
    pub skipped_total: u64,
    /// Repeated pupil results (second and later occurrences).
    pub duplicates: u64,
}

/// Result of [`aggregate_file_interned`]: each cell names its school and
/// subject by index into `schools` and `subjects`, so a national file's
/// cells take no string each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InternedAggregation {
    /// School ids, sorted (by their bytes).
    pub schools: Vec<String>,
    /// Canonical subject codes, sorted.
    pub subjects: Vec<String>,
    /// Cells sorted by (school_id, year, procedure, subject, grade).
    pub cells: Vec<AggregateCell<u32>>,
    /// As in [`Aggregation`].
    pub rows: u64,
    /// As in [`Aggregation`].
    pub skipped: Vec<Problem>,
    /// As in [`Aggregation`].
    pub skipped_total: u64,
    /// As in [`Aggregation`].
    pub duplicates: u64,
}

/// Reads a student-level `results.csv` and aggregates it per cell.
pub fn aggregate_file(path: &Path, opts: &ResultsOptions) -> Result<Aggregation, ResultsError> {
    let read = aggregate_file_interned(path, opts)?;
    Ok(Aggregation {
        cells: read
            .cells
            .iter()
            .map(|cell| cell.named(&read.schools, &read.subjects))
            .collect(),
        rows: read.rows,
        skipped: read.skipped,
        skipped_total: read.skipped_total,
        duplicates: read.duplicates,
    })
}

/// [`aggregate_file`] with school ids and subject codes interned.
pub fn aggregate_file_interned(
    path: &Path,
    opts: &ResultsOptions,
) -> Result<InternedAggregation, ResultsError> {
    let io_err = |source: io::Error| ResultsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let scan_err = |fail: ScanFail| match fail {
        ScanFail::Io(source) => ResultsError::Io {
            path: path.to_path_buf(),
            source,
        },
        ScanFail::TooMany(what) => ResultsError::TooManyKeys {
            path: path.to_path_buf(),
            what,
        },
    };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ResultsError::NotFound {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io_err(e)),
    };
    let len = file.metadata().map_err(io_err)?.len();
    let empty = || ResultsError::Empty {
        path: path.to_path_buf(),
    };
    let header = read_header(&mut file).map_err(io_err)?.ok_or_else(empty)?;
    let map = map_columns(&header.names, &STUDENT_COLUMNS, &[]).map_err(|missing| {
        ResultsError::MissingColumns {
            path: path.to_path_buf(),
            missing,
            found: header.names.clone(),
        }
    })?;
    let threads = opts.threads.max(1);
    // More ranges than threads: a thread that is done takes the next range,
    // so unequal ranges (other years, other subjects) do not leave one
    // thread working alone at the end.
    let parts = if threads == 1 {
        1
    } else {
        threads * RANGES_PER_THREAD
    };
    let ranges = split_ranges(&mut file, header.data_start, len, parts).map_err(io_err)?;
    drop(file);

    let shared = Shared {
        sep: header.sep,
        ege_min: opts
            .ege_min
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase().into_bytes(), *v))
            .collect(),
        directory: opts.known_schools.as_ref(),
        filter: &opts.cells,
        canonical: Shared::is_canonical(&map),
        ege_scores: opts.ege_scores,
        map,
    };
    let spill_dir = opts.spill_dir.clone().unwrap_or_else(std::env::temp_dir);
    let spill = SpillFiles::new(&spill_dir);
    let setup = ScanSetup {
        path,
        block_size: opts.block_size,
        progress: opts.progress.as_ref(),
        total_bytes: len.saturating_sub(header.data_start),
    };

    // Pass 1.
    let workers: Vec<FirstPass<'_>> = ranges
        .iter()
        .map(|_| FirstPass::new(&shared, HashSpill::new(&spill)))
        .collect();
    let scanned = scan_ranges(&setup, &ranges, workers, threads).map_err(scan_err)?;
    let mut first_lines = Vec::with_capacity(scanned.len());
    let mut next_line = header.line + 1;
    for (_, lines) in &scanned {
        first_lines.push(next_line);
        next_line += lines;
    }
    let mut problems = ProblemLog::default();
    let mut rows = 0u64;
    let mut residues = Vec::with_capacity(scanned.len());
    let mut parts = Vec::with_capacity(scanned.len());
    for ((FirstPass { out: worker, .. }, _), first) in scanned.into_iter().zip(&first_lines) {
        rows += worker.rows;
        problems.total += worker.problems.total;
        for mut p in worker.problems.kept {
            p.line += first;
            if problems.kept.len() < super::error::STORED_PROBLEMS {
                problems.kept.push(p);
            }
        }
        residues.push(worker.spill.into_buffers());
        parts.push(WorkerCells {
            schools: worker.schools.names,
            subjects: worker
                .subjects
                .entries
                .into_iter()
                .map(|e| e.canonical)
                .collect(),
            cells: worker.cells.into_cells(),
            ege_scores: worker.ege_scores,
        });
    }
    if rows == 0 {
        return Err(empty());
    }

    // Duplicates, while another thread merges the workers' cells (work
    // wasted only on a file that is rejected below).
    let (repeated, merged) = std::thread::scope(|scope| {
        let merging = scope.spawn(|| merge_workers(parts));
        let repeated = repeated_hashes(&spill, &residues, threads);
        let merged = merging
            .join()
            .map_err(|_| io::Error::other("сбой потока обработки"));
        (repeated, merged)
    });
    let repeated = repeated.map_err(io_err)?;
    let mut merged = merged.map_err(io_err)?;
    drop(residues);
    drop(spill);
    let involved: u64 = repeated.values().map(|&c| u64::from(c)).sum();
    if involved > MAX_DUPLICATE_ROWS {
        return Err(ResultsError::TooManyDuplicates {
            path: path.to_path_buf(),
            count: involved - repeated.len() as u64,
        });
    }
    let repeats = if repeated.is_empty() {
        Repeats::default()
    } else {
        let collectors = first_lines
            .iter()
            .map(|&first| CollectCandidates::new(&shared, first, &repeated))
            .collect();
        let setup2 = ScanSetup {
            progress: None,
            ..setup
        };
        let done = scan_ranges(&setup2, &ranges, collectors, threads).map_err(scan_err)?;
        resolve(done.into_iter().map(|(c, _)| c).collect())
    };
    let duplicates = repeats.problems.total;
    let problems = problems.merge(repeats.problems.clone());
    if !opts.skip_bad_rows && problems.total > 0 {
        return Err(ResultsError::Rejected {
            path: path.to_path_buf(),
            problems: problems.kept,
            total: problems.total,
        });
    }

    if !repeats.cells.is_empty() {
        let setup3 = ScanSetup {
            progress: None,
            ..setup
        };
        let workers = first_lines
            .iter()
            .map(|&first| RecomputeCells::new(&shared, first, &repeats))
            .collect();
        let done = scan_ranges(&setup3, &ranges, workers, threads).map_err(scan_err)?;
        let mut fresh: FxHashMap<_, CellAcc> = FxHashMap::default();
        let mut fresh_scores = Vec::new();
        for (w, _) in done {
            for (k, acc) in w.cells {
                fresh.entry(k).or_default().merge(&acc);
            }
            fresh_scores.extend(w.ege_scores);
        }
        merged.replace_cells(&repeats, &fresh, fresh_scores);
    }
    let (schools, subjects, cells) = merged.into_cells();
    Ok(InternedAggregation {
        schools,
        subjects,
        cells,
        rows,
        skipped: problems.kept,
        skipped_total: problems.total,
        duplicates,
    })
}

/// One worker's results with its local id tables.
struct WorkerCells {
    schools: Vec<Box<[u8]>>,
    subjects: Vec<Box<[u8]>>,
    cells: Vec<(u64, CellAcc)>,
    /// (packed key, score bits) of ЕГЭ rows, when asked for.
    ege_scores: Vec<(u64, u64)>,
}

/// Cells of all workers keyed by packed keys whose school and subject ids
/// are ranks of the sorted names (so key order is output order).
struct Merged {
    schools: Vec<Box<[u8]>>,
    subjects: Vec<Box<[u8]>>,
    cells: Vec<(u64, CellAcc)>,
    /// (packed key, score bits) of ЕГЭ rows, sorted (scores are never
    /// negative, so the order of their bits is the order of their values).
    ege_scores: Vec<(u64, u64)>,
}

fn sorted_union(lists: impl Iterator<Item = Vec<Box<[u8]>>>) -> Vec<Box<[u8]>> {
    let mut all: Vec<Box<[u8]>> = lists.flatten().collect();
    all.sort_unstable();
    all.dedup();
    all
}

fn rank_of(sorted: &[Box<[u8]>], name: &[u8]) -> u32 {
    sorted
        .binary_search_by(|n| (**n).cmp(name))
        .map_or(u32::MAX, |i| i as u32)
}

fn merge_workers(parts: Vec<WorkerCells>) -> Merged {
    let schools = sorted_union(parts.iter().map(|p| p.schools.clone()));
    let subjects = sorted_union(parts.iter().map(|p| p.subjects.clone()));
    let total: usize = parts.iter().map(|p| p.cells.len()).sum();
    let mut cells: Vec<(u64, CellAcc)> = Vec::with_capacity(total);
    let mut ege_scores = Vec::new();
    for part in parts {
        let school_rank: Vec<u32> = part.schools.iter().map(|n| rank_of(&schools, n)).collect();
        let subject_rank: Vec<u32> = part
            .subjects
            .iter()
            .map(|n| rank_of(&subjects, n))
            .collect();
        let rerank = |key: u64| {
            let k = unpack_key(key);
            let school = school_rank
                .get(k.school as usize)
                .copied()
                .unwrap_or(u32::MAX);
            let subject = subject_rank
                .get(k.subject as usize)
                .copied()
                .unwrap_or(u32::MAX);
            pack_key(school, k.year, k.procedure, subject, k.grade)
        };
        for (key, acc) in part.cells {
            cells.push((rerank(key), acc));
        }
        ege_scores.extend(part.ege_scores.into_iter().map(|(k, s)| (rerank(k), s)));
    }
    ege_scores.sort_unstable();
    cells.sort_unstable_by_key(|(k, _)| *k);
    let mut out: Vec<(u64, CellAcc)> = Vec::with_capacity(cells.len());
    for (key, acc) in cells {
        match out.last_mut() {
            Some((last, a)) if *last == key => a.merge(&acc),
            _ => out.push((key, acc)),
        }
    }
    Merged {
        schools,
        subjects,
        cells: out,
        ege_scores,
    }
}

impl Merged {
    /// Replaces the cells touched by repeats with their recomputed values
    /// (removing cells that held only repeats).
    fn replace_cells(
        &mut self,
        repeats: &Repeats,
        fresh: &FxHashMap<super::duplicates::CellKey, CellAcc>,
        fresh_scores: Vec<(super::duplicates::CellKey, u64)>,
    ) {
        let pack = |key: &super::duplicates::CellKey| {
            let school = rank_of(&self.schools, &key.school);
            let subject = rank_of(&self.subjects, &key.subject);
            pack_key(school, key.year, key.procedure, subject, key.grade)
        };
        // The touched cells' scores are replaced by the recount's.
        let touched: FxHashSet<u64> = repeats.cells.iter().map(pack).collect();
        self.ege_scores.retain(|(k, _)| !touched.contains(k));
        self.ege_scores
            .extend(fresh_scores.iter().map(|(key, s)| (pack(key), *s)));
        self.ege_scores.sort_unstable();
        let mut emptied = Vec::new();
        for key in &repeats.cells {
            let packed = pack(key);
            if let Ok(i) = self.cells.binary_search_by_key(&packed, |(k, _)| *k) {
                match fresh.get(key) {
                    Some(acc) => self.cells[i].1 = *acc,
                    None => emptied.push(packed),
                }
            }
        }
        if !emptied.is_empty() {
            self.cells.retain(|(k, _)| !emptied.contains(k));
        }
    }

    /// School names, subject codes and the cells naming them by index.
    fn into_cells(self) -> (Vec<String>, Vec<String>, Vec<AggregateCell<u32>>) {
        let schools = self.schools.iter().map(|n| decode_owned(n)).collect();
        let subjects = self.subjects.iter().map(|n| decode_owned(n)).collect();
        let mut scores = self.ege_scores.chunk_by(|a, b| a.0 == b.0).peekable();
        let cells = self
            .cells
            .into_iter()
            .map(|(key, acc)| {
                let k = unpack_key(key);
                let mut cell =
                    acc.into_cell(k.school, i32::from(k.year), k.procedure, k.subject, k.grade);
                while scores.next_if(|run| run[0].0 < key).is_some() {}
                if let Some(run) = scores.next_if(|run| run[0].0 == key) {
                    cell.ege_scores = Some(score_counts(run));
                }
                cell
            })
            .collect();
        (schools, subjects, cells)
    }
}

/// Distinct scores of one cell with their counts, from its sorted
/// (key, score bits) entries.
fn score_counts(run: &[(u64, u64)]) -> Vec<(f64, u64)> {
    run.chunk_by(|a, b| a.1 == b.1)
        .map(|same| (f64::from_bits(same[0].1), same.len() as u64))
        .collect()
}
