//! Parallel scanning of a file: N byte ranges aligned to line starts, each
//! read by its own thread in large blocks and cut at line boundaries.
//!
//! Line numbers stay exact: a visitor sees the 0-based index of a line inside
//! its range, and the scan reports how many lines each range had, so the
//! caller can turn indexes into absolute numbers (or, in later passes over the
//! same ranges, pass the absolute first line in).

use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::header::read_some;
use super::options::ProgressFn;

/// Lines longer than this are reported and skipped (no valid row is close).
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a scan stopped early.
#[derive(Debug)]
pub(crate) enum ScanFail {
    Io(io::Error),
    /// Too many distinct values for compact keys: names the column.
    TooMany(&'static str),
}

impl From<io::Error> for ScanFail {
    fn from(e: io::Error) -> Self {
        ScanFail::Io(e)
    }
}

/// Receives the physical lines of one range, in order.
pub(crate) trait LineVisitor: Send {
    /// One line without its `\n` (a trailing `\r` is still there).
    fn line(&mut self, index: u64, bytes: &[u8]) -> Result<(), ScanFail>;
    /// Whole lines, each ended by `\n` (the last one also by the end of the
    /// range); `index` is the first one's and is advanced past them. The
    /// default cuts them and hands each to [`LineVisitor::line`].
    #[inline]
    fn lines(&mut self, index: &mut u64, bytes: &[u8]) -> Result<(), ScanFail> {
        let mut pos = 0;
        while let Some(rest) = bytes.get(pos..)
            && !rest.is_empty()
        {
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            self.line(*index, rest.get(..end).unwrap_or(rest))?;
            *index += 1;
            pos += end + 1;
        }
        Ok(())
    }
    /// A line longer than [`MAX_LINE_BYTES`]; its bytes are skipped.
    fn overlong(&mut self, index: u64);
    /// The range is done (before its thread takes another one).
    fn finish(&mut self) -> Result<(), ScanFail> {
        Ok(())
    }
}

/// A half-open byte range `[start, end)` starting at a line start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ByteRange {
    pub start: u64,
    pub end: u64,
}

/// Splits `[data_start, len)` into `parts` ranges of about equal size whose
/// boundaries are line starts (some may be empty).
pub(crate) fn split_ranges(
    file: &mut File,
    data_start: u64,
    len: u64,
    parts: usize,
) -> io::Result<Vec<ByteRange>> {
    let parts = parts.max(1) as u64;
    let size = len.saturating_sub(data_start);
    let mut bounds = vec![data_start];
    for i in 1..parts {
        let target = data_start + size * i / parts;
        let prev = bounds.last().copied().unwrap_or(data_start);
        let bound = if target <= prev {
            prev
        } else {
            next_line_start(file, target, len)?.max(prev)
        };
        bounds.push(bound);
    }
    bounds.push(len.max(data_start));
    Ok(bounds
        .windows(2)
        .map(|w| ByteRange {
            start: w[0],
            end: w[1],
        })
        .collect())
}

/// The smallest line start ≥ `pos` (`pos` > 0), or `len`.
fn next_line_start(file: &mut File, pos: u64, len: u64) -> io::Result<u64> {
    let mut at = pos - 1;
    file.seek(SeekFrom::Start(at))?;
    let mut buf = vec![0u8; 64 << 10];
    while at < len {
        let n = read_some(file, &mut buf)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(at + i as u64 + 1);
        }
        at += n as u64;
    }
    Ok(len)
}

/// Shared settings of one scan.
pub(crate) struct ScanSetup<'a> {
    pub path: &'a Path,
    pub block_size: usize,
    pub progress: Option<&'a ProgressFn>,
    pub total_bytes: u64,
}

/// Scans every range with its visitor on `threads` threads; a thread that
/// finishes a range takes the next one not yet taken, so threads finish
/// close together even when some ranges cost more than others. Returns the
/// visitors, in range order, with the number of lines each range held.
pub(crate) fn scan_ranges<V: LineVisitor>(
    setup: &ScanSetup<'_>,
    ranges: &[ByteRange],
    visitors: Vec<V>,
    threads: usize,
) -> Result<Vec<(V, u64)>, ScanFail> {
    let done = AtomicU64::new(0);
    let threads = threads.clamp(1, ranges.len().max(1));
    if threads == 1 {
        let mut out = Vec::with_capacity(ranges.len());
        for (mut v, r) in visitors.into_iter().zip(ranges) {
            let lines = scan_range(setup, *r, &mut v, &done)?;
            v.finish()?;
            out.push((v, lines));
        }
        return Ok(out);
    }
    let fail = || ScanFail::Io(io::Error::other("сбой потока обработки"));
    let jobs: Vec<Mutex<Option<(V, ByteRange)>>> = visitors
        .into_iter()
        .zip(ranges)
        .map(|(v, r)| Mutex::new(Some((v, *r))))
        .collect();
    let results: Vec<Mutex<Option<(V, u64)>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (done, next, jobs, results) = (&done, &next, &jobs, &results);
                scope.spawn(move || -> Result<(), ScanFail> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let (Some(job), Some(result)) = (jobs.get(i), results.get(i)) else {
                            return Ok(());
                        };
                        let taken = job.lock().map_err(|_| fail())?.take();
                        let Some((mut v, r)) = taken else {
                            return Ok(());
                        };
                        let lines = scan_range(setup, r, &mut v, done)?;
                        v.finish()?;
                        *result.lock().map_err(|_| fail())? = Some((v, lines));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| fail())??;
        }
        Ok::<(), ScanFail>(())
    })?;
    results
        .into_iter()
        .map(|r| r.into_inner().ok().flatten().ok_or_else(fail))
        .collect()
}

/// Reads one range block by block and feeds its lines to the visitor.
fn scan_range<V: LineVisitor>(
    setup: &ScanSetup<'_>,
    range: ByteRange,
    visitor: &mut V,
    done: &AtomicU64,
) -> Result<u64, ScanFail> {
    if range.start >= range.end {
        return Ok(0);
    }
    let mut file = File::open(setup.path)?;
    file.seek(SeekFrom::Start(range.start))?;
    let mut remaining = range.end - range.start;
    let mut buf = vec![0u8; setup.block_size.clamp(1, 1 << 30)];
    let mut filled = 0usize;
    let mut index = 0u64;
    // True while skipping the rest of an overlong line.
    let mut discarding = false;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let want = (buf.len() - filled).min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = if want == 0 {
            0
        } else {
            read_some(&mut file, &mut buf[filled..filled + want])?
        };
        remaining -= n as u64;
        filled += n;
        let at_end = n == 0 || remaining == 0;
        if let (Some(progress), true) = (setup.progress, n > 0) {
            let now = done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
            progress(now, setup.total_bytes);
        }

        let mut pos = 0usize;
        if discarding {
            match memchr::memchr(b'\n', &buf[..filled]) {
                Some(i) => {
                    discarding = false;
                    index += 1;
                    pos = i + 1;
                }
                None => {
                    filled = 0;
                    if at_end {
                        index += 1;
                        break;
                    }
                    continue;
                }
            }
        }
        let upto = if at_end {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[pos..filled]) {
                Some(i) => pos + i + 1,
                None => {
                    if filled - pos >= MAX_LINE_BYTES {
                        visitor.overlong(index);
                        discarding = true;
                        filled = 0;
                    } else {
                        buf.copy_within(pos..filled, 0);
                        filled -= pos;
                    }
                    continue;
                }
            }
        };
        if pos < upto {
            visitor.lines(&mut index, &buf[pos..upto])?;
        }
        buf.copy_within(upto..filled, 0);
        filled -= upto;
        if at_end {
            break;
        }
    }
    Ok(index)
}
