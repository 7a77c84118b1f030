//! Duplicate-detection hashes in bounded memory.
//!
//! Every valid row yields a 64-bit hash of (year, procedure, subject,
//! student_id). Hashes are partitioned by their top 6 bits into 64
//! partitions; each worker buffers up to 16 Ki hashes per partition (8 MiB
//! per worker at most) and appends full buffers to one temporary file per
//! partition. Afterwards each partition (1/64 of all hashes: ≈ 8 MB for 65 M
//! rows) is loaded, sorted and scanned for equal neighbours. Memory stays
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

    fn append(&self, part: usize, hashes: &[u64]) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(hashes.len() * 8);
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
            Some((_, file)) => file.write_all(&bytes),
            None => Err(io::Error::other("spill file missing")),
        }
    }

    /// All hashes spilled for a partition.
    fn read_partition(&self, part: usize) -> io::Result<Vec<u64>> {
        let slot = self
            .files
            .get(part)
            .ok_or_else(|| io::Error::other("bad partition"))?;
        let mut guard = slot
            .lock()
            .map_err(|_| io::Error::other("сбой потока обработки"))?;
        let Some((_, file)) = guard.as_mut() else {
            return Ok(Vec::new());
        };
        file.seek(SeekFrom::Start(0))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(bytes
            .chunks_exact(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w.copy_from_slice(c);
                u64::from_le_bytes(w)
            })
            .collect())
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

/// One worker's hash buffers.
pub(crate) struct HashSpill<'s> {
    files: &'s SpillFiles,
    buffers: Vec<Vec<u64>>,
}

impl<'s> HashSpill<'s> {
    pub fn new(files: &'s SpillFiles) -> HashSpill<'s> {
        HashSpill {
            files,
            buffers: (0..PARTITIONS).map(|_| Vec::new()).collect(),
        }
    }

    #[inline]
    pub fn push(&mut self, hash: u64) -> io::Result<()> {
        let part = (hash >> 58) as usize;
        if let Some(buf) = self.buffers.get_mut(part) {
            buf.push(hash);
            if buf.len() >= BUFFER_HASHES {
                self.files.append(part, buf)?;
                buf.clear();
            }
        }
        Ok(())
    }

    /// The hashes still in memory, per partition.
    pub fn into_buffers(self) -> Vec<Vec<u64>> {
        self.buffers
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
        for part in (t..PARTITIONS).step_by(threads) {
            let mut all = files.read_partition(part)?;
            for worker in residues {
                if let Some(buf) = worker.get(part) {
                    all.extend_from_slice(buf);
                }
            }
            let all = radix_sorted(all);
            let mut i = 0;
            while i < all.len() {
                let mut j = i + 1;
                while j < all.len() && all[j] == all[i] {
                    j += 1;
                }
                if j - i > 1 {
                    found.insert(all[i], u32::try_from(j - i).unwrap_or(u32::MAX));
                }
                i = j;
            }
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

/// Sorts hashes of one partition: one counting pass on the 8 bits below the
/// partition bits, then small in-cache sorts of each bucket.
fn radix_sorted(all: Vec<u64>) -> Vec<u64> {
    if all.len() < 4096 {
        let mut all = all;
        all.sort_unstable();
        return all;
    }
    let bucket = |h: u64| ((h >> 50) & 0xff) as usize;
    let mut starts = [0usize; 257];
    for &h in &all {
        starts[bucket(h) + 1] += 1;
    }
    for i in 0..256 {
        starts[i + 1] += starts[i];
    }
    let mut next = starts;
    let mut out = vec![0u64; all.len()];
    for &h in &all {
        let b = bucket(h);
        out[next[b]] = h;
        next[b] += 1;
    }
    drop(all);
    for w in starts.windows(2) {
        out[w[0]..w[1]].sort_unstable();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sort_sorts() {
        let mut rng = fastrand::Rng::with_seed(5);
        let v: Vec<u64> = (0..10_000).map(|_| rng.u64(..) & (u64::MAX >> 6)).collect();
        let mut expected = v.clone();
        expected.sort_unstable();
        assert_eq!(radix_sorted(v), expected);
    }
}
