//! Header line: separator detection and column mapping.

use std::fs::File;
use std::io::Read;

use super::text::{strip_bom, trim};

/// Columns of a student-level results file, in canonical order.
pub(crate) const STUDENT_COLUMNS: [&str; 8] = [
    "year",
    "procedure",
    "subject",
    "grade",
    "school_id",
    "student_id",
    "score",
    "mark",
];

/// Canonical field positions in [`STUDENT_COLUMNS`].
pub(crate) mod col {
    pub const YEAR: usize = 0;
    pub const PROCEDURE: usize = 1;
    pub const SUBJECT: usize = 2;
    pub const GRADE: usize = 3;
    pub const SCHOOL: usize = 4;
    pub const STUDENT: usize = 5;
    pub const SCORE: usize = 6;
    pub const MARK: usize = 7;
}

/// A parsed header line.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub sep: u8,
    /// Normalised names (trimmed, unquoted, ASCII-lowercase).
    pub names: Vec<String>,
    /// 1-based line number of the header.
    pub line: u64,
    /// Byte offset of the first byte after the header line.
    pub data_start: u64,
}

/// Picks the separator of a header line: `;`, `,` or tab, whichever occurs
/// most (`,` when none does).
pub(crate) fn detect_separator(line: &[u8]) -> u8 {
    let count = |c: u8| line.iter().filter(|&&b| b == c).count();
    let candidates = [
        (b';', count(b';')),
        (b',', count(b',')),
        (b'\t', count(b'\t')),
    ];
    let mut best = (b',', 0usize);
    for (c, n) in candidates {
        if n > best.1 {
            best = (c, n);
        }
    }
    best.0
}

/// Splits a header line into normalised names.
pub(crate) fn header_names(line: &[u8], sep: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(line);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| super::text::decode_owned(trim(strip_bom(f))).to_ascii_lowercase())
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a line holds nothing but spaces and separators.
pub(crate) fn is_blank_any_sep(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(*b, b' ' | b'\t' | b'\r' | b',' | b';'))
}

/// Maps header names to canonical columns. Returns, for each field of a row,
/// the canonical index it feeds (or `None` for extra columns), or the list of
/// missing required columns.
pub(crate) fn map_columns(
    names: &[String],
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Option<u8>>, Vec<String>> {
    let all: Vec<&str> = required.iter().chain(optional).copied().collect();
    let map: Vec<Option<u8>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let canon = all.iter().position(|c| c == name)?;
            // The first column of a name wins; a repeated name is an extra column.
            let first = names.iter().position(|n| n == name)?;
            (first == i).then_some(canon as u8)
        })
        .collect();
    let missing: Vec<String> = required
        .iter()
        .enumerate()
        .filter(|(ci, _)| !map.contains(&Some(*ci as u8)))
        .map(|(_, c)| (*c).to_owned())
        .collect();
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(missing)
    }
}

/// Reads the beginning of the file up to the first non-blank line and parses
/// it as the header. `Ok(None)` when there is no such line.
pub(crate) fn read_header(file: &mut File) -> std::io::Result<Option<Header>> {
    const CHUNK: usize = 64 << 10;
    const MAX_PREFIX: usize = 16 << 20;
    let mut prefix: Vec<u8> = Vec::new();
    let mut line_start = 0usize;
    let mut line_no = 1u64;
    let mut eof = false;
    loop {
        // Look at complete lines available so far.
        while let Some(rel) = memchr::memchr(b'\n', &prefix[line_start..]) {
            let end = line_start + rel;
            let line = strip_bom(&prefix[line_start..end]);
            if !is_blank_any_sep(line) {
                return Ok(Some(make_header(line, line_no, (end + 1) as u64)));
            }
            line_start = end + 1;
            line_no += 1;
        }
        if eof {
            let line = strip_bom(&prefix[line_start..]);
            if is_blank_any_sep(line) {
                return Ok(None);
            }
            return Ok(Some(make_header(line, line_no, prefix.len() as u64)));
        }
        if prefix.len() >= MAX_PREFIX {
            return Ok(None);
        }
        let old = prefix.len();
        prefix.resize(old + CHUNK, 0);
        let n = read_some(file, &mut prefix[old..])?;
        prefix.truncate(old + n);
        eof = n == 0;
    }
}

fn make_header(line: &[u8], line_no: u64, data_start: u64) -> Header {
    let line = trim(line);
    let sep = detect_separator(line);
    Header {
        sep,
        names: header_names(line, sep),
        line: line_no,
        data_start,
    }
}

/// `read` that retries on `Interrupted`.
pub(crate) fn read_some(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_and_names() {
        assert_eq!(detect_separator(b"a;b;c"), b';');
        assert_eq!(detect_separator(b"a,b"), b',');
        assert_eq!(detect_separator(b"a\tb"), b'\t');
        assert_eq!(
            header_names(b"\xEF\xBB\xBF\"Year\"; Grade", b';'),
            vec!["year", "grade"]
        );
    }

    #[test]
    fn mapping_reports_missing() {
        let names: Vec<String> = ["b", "x", "a"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            map_columns(&names, &["a", "b"], &[]),
            Ok(vec![Some(1), None, Some(0)])
        );
        assert_eq!(
            map_columns(&names, &["a", "c"], &[]),
            Err(vec!["c".to_owned()])
        );
    }
}
