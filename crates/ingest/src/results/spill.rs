//! Duplicate-detection hashes in bounded memory.
//!
//! Every valid row yields a 64-bit hash of (year, procedure, subject,
//! student_id). Hashes are partitioned by their top 6 bits into 64
//! partitions; each worker buffers up to 16 Ki hashes per partition (8 MiB
//! per worker at most) and appends full buffers to one temporary file per
//! partition. Afterwards each partition (1/64 of all hashes: ≈ 8 MB for 65 M
//! rows) is loaded, grouped by the next 8 bits, and each group (≈ 32 KB) goes
//! through a small hash table that finds the repeats. Memory stays
//! bounded whatever the file size; the temporary files take 8 bytes per row
//! on disk and are removed when done. Small files never touch the disk.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::hash::FxHashMap;

/// Number of hash partitions (top 6 bits).
pub(crate) const PARTITIONS: usize = 64;
/// Hashes buffered per worker and partition before spilling.
const BUFFER_HASHES: usize = 16 * 1024;

static SPILL_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Lazily created temporary files, one per partition; removed on drop.
pub(crate) struct SpillFiles {
    dir: PathBuf,
    tag: String,
    files: Vec<Mutex<Option<(PathBuf, File)>>>,
}

impl SpillFiles {
    pub fn new(dir: &Path) -> SpillFiles {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let tag = format!(
            "orientir-results-{}-{}-{}",
            std::process::id(),
            nanos,
            SPILL_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        SpillFiles {
            dir: dir.to_path_buf(),
            tag,
            files: (0..PARTITIONS).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// Appends `hashes` to a partition's file; `bytes` is the caller's
    /// scratch buffer (kept between calls: a fresh 128 KiB buffer per call
    /// is a fresh mapping, and page faults, each time).
    fn append(&self, part: usize, hashes: &[u64], bytes: &mut Vec<u8>) -> io::Result<()> {
        bytes.clear();
        for h in hashes {
            bytes.extend_from_slice(&h.to_le_bytes());
        }
        let slot = self
            .files
            .get(part)
            .ok_or_else(|| io::Error::other("bad partition"))?;
        let mut guard = slot
            .lock()
            .map_err(|_| io::Error::other("сбой потока обработки"))?;
        if guard.is_none() {
            let path = self.dir.join(format!("{}-{part}.hashes", self.tag));
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)?;
            *guard = Some((path, file));
        }
        match guard.as_mut() {
            Some((_, file)) => file.write_all(bytes),
            None => Err(io::Error::other("spill file missing")),
        }
    }

    /// Removes a partition's file once its hashes have been read (on the
    /// thread that read them, so the main thread does not delete them all
    /// at the end).
    fn remove(&self, part: usize) {
        if let Some(slot) = self.files.get(part)
            && let Ok(mut guard) = slot.lock()
            && let Some((path, file)) = guard.take()
        {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }

    /// Whether a partition has a file already.
    fn has(&self, part: usize) -> bool {
        self.files
            .get(part)
            .and_then(|slot| slot.lock().ok())
            .is_some_and(|guard| guard.is_some())
    }

    /// Reads the bytes of all hashes spilled for a partition into `bytes`
    /// (emptied first).
    fn read_partition(&self, part: usize, bytes: &mut Vec<u8>) -> io::Result<()> {
        bytes.clear();
        let slot = self
            .files
            .get(part)
            .ok_or_else(|| io::Error::other("bad partition"))?;
        let mut guard = slot
            .lock()
            .map_err(|_| io::Error::other("сбой потока обработки"))?;
        let Some((_, file)) = guard.as_mut() else {
            return Ok(());
        };
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(bytes)?;
        Ok(())
    }
}

impl Drop for SpillFiles {
    fn drop(&mut self) {
        for slot in &self.files {
            if let Ok(mut guard) = slot.lock()
                && let Some((path, file)) = guard.take()
            {
                drop(file);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Hashes a worker collects in arrival order before handing them to the
/// partitions: the row loop then writes one sequential buffer, and the
/// scattering to 64 partition buffers runs in a loop of its own.
const PENDING_HASHES: usize = 4096;

/// One worker's hash buffers.
pub(crate) struct HashSpill<'s> {
    files: &'s SpillFiles,
    pending: Vec<u64>,
    buffers: Vec<Vec<u64>>,
    bytes: Vec<u8>,
}

impl<'s> HashSpill<'s> {
    pub fn new(files: &'s SpillFiles) -> HashSpill<'s> {
        HashSpill {
            files,
            pending: Vec::new(),
            buffers: (0..PARTITIONS).map(|_| Vec::new()).collect(),
            bytes: Vec::new(),
        }
    }

    #[inline]
    pub fn push(&mut self, hash: u64) -> io::Result<()> {
        self.pending.push(hash);
        if self.pending.len() >= PENDING_HASHES {
            self.scatter()?;
        }
        Ok(())
    }

    /// Moves the pending hashes to their partitions' buffers, spilling full
    /// buffers.
    fn scatter(&mut self) -> io::Result<()> {
        let HashSpill {
            files,
            pending,
            buffers,
            bytes,
        } = self;
        for &hash in pending.iter() {
            let part = (hash >> 58) as usize;
            if let Some(buf) = buffers.get_mut(part) {
                buf.push(hash);
                if buf.len() >= BUFFER_HASHES {
                    files.append(part, buf, bytes)?;
                    buf.clear();
                }
            }
        }
        pending.clear();
        Ok(())
    }

    /// The range is done: buffers of partitions that already have a file
    /// go to it and their memory is freed, so the buffers of many ranges are
    /// not all held at once; the others (a small file) stay in memory.
    pub fn finish(&mut self) -> io::Result<()> {
        self.scatter()?;
        self.pending = Vec::new();
        for (part, buf) in self.buffers.iter_mut().enumerate() {
            if !buf.is_empty() && self.files.has(part) {
                self.files.append(part, buf, &mut self.bytes)?;
                *buf = Vec::new();
            }
        }
        self.bytes = Vec::new();
        Ok(())
    }

    /// The hashes still in memory, per partition.
    pub fn into_buffers(self) -> Vec<Vec<u64>> {
        let mut buffers = self.buffers;
        // Normally empty (`finish` scattered them); kept in memory if not.
        for hash in self.pending {
            if let Some(buf) = buffers.get_mut((hash >> 58) as usize) {
                buf.push(hash);
            }
        }
        buffers
    }
}

/// Finds hash values occurring more than once; maps each to its count.
/// Partitions are processed by `threads` threads, one partition at a time each.
pub(crate) fn repeated_hashes(
    files: &SpillFiles,
    residues: &[Vec<Vec<u64>>],
    threads: usize,
) -> io::Result<FxHashMap<u64, u32>> {
    let threads = threads.clamp(1, PARTITIONS);
    let work = |t: usize| -> io::Result<FxHashMap<u64, u32>> {
        let mut found = FxHashMap::default();
        // Buffers reused from partition to partition.
        let mut bytes = Vec::new();
        let mut scratch = Scratch::default();
        for part in (t..PARTITIONS).step_by(threads) {
            files.read_partition(part, &mut bytes)?;
            files.remove(part);
            let spilled = bytes.chunks_exact(8).map(|c| {
                let mut w = [0u8; 8];
                w.copy_from_slice(c);
                u64::from_le_bytes(w)
            });
            let kept = residues
                .iter()
                .filter_map(|worker| worker.get(part))
                .flatten()
                .copied();
            scratch.find_repeats(spilled.chain(kept), &mut found);
        }
        Ok(found)
    };
    if threads == 1 {
        return work(0);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || work(t))).collect();
        let mut merged = FxHashMap::default();
        for h in handles {
            let part = h
                .join()
                .map_err(|_| io::Error::other("сбой потока обработки"))??;
            merged.extend(part);
        }
        Ok(merged)
    })
}

/// Bits below the partition bits that pick a bucket.
const BUCKET_BITS: u32 = 8;
const BUCKETS: usize = 1 << BUCKET_BITS;

/// Working memory of one thread finding repeats.
#[derive(Default)]
struct Scratch {
    /// The partition's hashes grouped by bucket.
    grouped: Vec<u64>,
    /// Open-addressing table for one bucket (0 = free).
    table: Vec<u64>,
}

impl Scratch {
    /// Adds to `found` every hash of one partition that occurs more than
    /// once, with its number of occurrences. The hashes are first grouped by
    /// the 8 bits below the partition bits (one counting pass), then each
    /// group, small enough for the cache, goes through a hash table.
    fn find_repeats(
        &mut self,
        hashes: impl Iterator<Item = u64> + Clone,
        found: &mut FxHashMap<u64, u32>,
    ) {
        let bucket = |h: u64| ((h >> (64 - 6 - BUCKET_BITS)) as usize) % BUCKETS;
        let mut starts = [0usize; BUCKETS + 1];
        for h in hashes.clone() {
            starts[bucket(h) + 1] += 1;
        }
        for i in 0..BUCKETS {
            starts[i + 1] += starts[i];
        }
        let total = starts[BUCKETS];
        self.grouped.clear();
        self.grouped.resize(total, 0);
        let mut next = starts;
        for h in hashes {
            let b = bucket(h);
            self.grouped[next[b]] = h;
            next[b] += 1;
        }
        for w in starts.windows(2) {
            let group = &self.grouped[w[0]..w[1]];
            repeats_in(group, &mut self.table, found);
        }
    }
}

/// Adds the repeated values of `group` to `found` (with their counts).
fn repeats_in(group: &[u64], table: &mut Vec<u64>, found: &mut FxHashMap<u64, u32>) {
    let size = (group.len() * 2).next_power_of_two().max(16);
    let mask = size - 1;
    table.clear();
    table.resize(size, 0);
    let mut zeros = 0u32;
    for &h in group {
        if h == 0 {
            zeros += 1;
            continue;
        }
        // The low bits are independent of the partition and bucket bits.
        let mut i = (h as usize) & mask;
        loop {
            match table[i] {
                0 => {
                    table[i] = h;
                    break;
                }
                t if t == h => {
                    *found.entry(h).or_insert(1) += 1;
                    break;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }
    if zeros > 1 {
        found.insert(0, zeros);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_with_their_counts() {
        let mut rng = fastrand::Rng::with_seed(5);
        let mut v: Vec<u64> = (0..20_000).map(|_| rng.u64(..) >> 6).collect();
        v.extend_from_slice(&[v[7], v[7], v[100], 0, 0, 12345]);
        let mut expected: FxHashMap<u64, u32> = FxHashMap::default();
        let mut sorted = v.clone();
        sorted.sort_unstable();
        for run in sorted.chunk_by(|a, b| a == b) {
            if run.len() > 1 {
                expected.insert(run[0], run.len() as u32);
            }
        }
        let mut found = FxHashMap::default();
        Scratch::default().find_repeats(v.iter().copied(), &mut found);
        assert_eq!(found, expected);
        assert_eq!(found.get(&v[7]), Some(&3));
    }
}
