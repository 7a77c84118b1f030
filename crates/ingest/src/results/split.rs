//! Splitting a physical line into the canonical fields of a results row.
//!
//! Fast path: lines without `"` are split with `memchr`. Lines with quotes go
//! through the `csv` crate. Multi-line quoted fields are not supported: every
//! physical line is one row (an odd number of quotes is reported as
//! «незакрытая кавычка»); no valid value of a results file contains a line break.

use super::header::STUDENT_COLUMNS;
use super::text::{strip_bom, trim};

/// Number of canonical fields.
pub(crate) const FIELDS: usize = STUDENT_COLUMNS.len();

/// What a physical line is.
pub(crate) enum LineKind<'a> {
    /// Empty, spaces, or separators only.
    Blank,
    /// A repeat of the header line.
    Header,
    /// A data row split into canonical fields (trimmed).
    Data([&'a [u8]; FIELDS]),
    /// A malformed line (wrong field count, unclosed quote).
    Bad(String),
}

/// Splits lines of one file; one per worker (it owns a scratch record).
pub(crate) struct Splitter {
    sep: u8,
    /// For each field of a line, the canonical column it feeds.
    map: Vec<Option<u8>>,
    record: csv::ByteRecord,
}

impl Splitter {
    pub fn new(sep: u8, map: Vec<Option<u8>>) -> Splitter {
        Splitter {
            sep,
            map,
            record: csv::ByteRecord::new(),
        }
    }

    /// Classifies one physical line (without its `\n`).
    pub fn classify<'s>(&'s mut self, line: &'s [u8]) -> LineKind<'s> {
        let line = strip_bom(line);
        let line = match line.last() {
            Some(b'\r') => &line[..line.len() - 1],
            _ => line,
        };
        let mut out: [&[u8]; FIELDS] = [&[]; FIELDS];
        let mut count = 0usize;
        let mut all_empty = true;
        let mut start = 0usize;
        let expected = self.map.len();
        let sep = self.sep;
        // One pass, eight bytes at a time (SWAR): find separators and bail
        // out to the csv crate at the first quote.
        let sep_word = u64::from_ne_bytes([sep; 8]);
        let quote_word = u64::from_ne_bytes([b'"'; 8]);
        let mut i = 0usize;
        while i + 8 <= line.len() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&line[i..i + 8]);
            let word = u64::from_le_bytes(chunk);
            if zero_bytes(word ^ quote_word) != 0 {
                return self.classify_quoted(line);
            }
            let mut mask = zero_bytes(word ^ sep_word);
            while mask != 0 {
                let at = i + (mask.trailing_zeros() / 8) as usize;
                let field = trim_fast(&line[start..at]);
                all_empty &= field.is_empty();
                if let Some(Some(c)) = self.map.get(count) {
                    out[usize::from(*c)] = field;
                }
                count += 1;
                start = at + 1;
                mask &= mask - 1;
            }
            i += 8;
        }
        for (j, &b) in line[i..].iter().enumerate() {
            if b == sep {
                let at = i + j;
                let field = trim_fast(&line[start..at]);
                all_empty &= field.is_empty();
                if let Some(Some(c)) = self.map.get(count) {
                    out[usize::from(*c)] = field;
                }
                count += 1;
                start = at + 1;
            } else if b == b'"' {
                return self.classify_quoted(line);
            }
        }
        let field = trim_fast(&line[start..]);
        all_empty &= field.is_empty();
        if let Some(Some(c)) = self.map.get(count) {
            out[usize::from(*c)] = field;
        }
        count += 1;
        if all_empty {
            return LineKind::Blank;
        }
        if count != expected {
            return LineKind::Bad(field_count_message(count, expected));
        }
        if self.is_header(&out) {
            return LineKind::Header;
        }
        LineKind::Data(out)
    }

    fn classify_quoted<'s>(&'s mut self, line: &'s [u8]) -> LineKind<'s> {
        let quotes = line.iter().filter(|&&b| b == b'"').count();
        if quotes % 2 == 1 {
            return LineKind::Bad("незакрытая кавычка".to_owned());
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(line);
        match reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return LineKind::Blank,
            Err(_) => return LineKind::Bad("не удалось разобрать строку с кавычками".to_owned()),
        }
        let expected = self.map.len();
        let count = self.record.len();
        if self.record.iter().all(|f| trim(f).is_empty()) {
            return LineKind::Blank;
        }
        if count != expected {
            return LineKind::Bad(field_count_message(count, expected));
        }
        let mut out: [&[u8]; FIELDS] = [&[]; FIELDS];
        for (i, field) in self.record.iter().enumerate() {
            if let Some(Some(c)) = self.map.get(i) {
                out[usize::from(*c)] = trim(field);
            }
        }
        if self.is_header(&out) {
            return LineKind::Header;
        }
        LineKind::Data(out)
    }

    /// A data line whose canonical fields equal the column names.
    fn is_header(&self, fields: &[&[u8]; FIELDS]) -> bool {
        // Cheap test first: the year field of a header says "year".
        if !fields[0].eq_ignore_ascii_case(b"year") {
            return false;
        }
        fields
            .iter()
            .zip(STUDENT_COLUMNS)
            .all(|(f, name)| f.eq_ignore_ascii_case(name.as_bytes()))
    }
}

/// 0x80 in every byte of `word` that is zero, 0 elsewhere (exact).
#[inline]
pub(crate) fn zero_bytes(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOW7).wrapping_add(LOW7)) | word | LOW7)
}

/// Trims only when an edge byte is a space (the common case is no work).
#[inline]
fn trim_fast(field: &[u8]) -> &[u8] {
    match (field.first(), field.last()) {
        (Some(b' ' | b'\t' | b'\r'), _) | (_, Some(b' ' | b'\t' | b'\r')) => trim(field),
        _ => field,
    }
}

fn field_count_message(count: usize, expected: usize) -> String {
    format!("неверное число полей: {count} вместо {expected}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter(sep: u8) -> Splitter {
        let map = (0..8).map(|i| Some(i as u8)).collect();
        Splitter::new(sep, map)
    }

    #[test]
    fn classifies_lines() {
        let mut s = splitter(b',');
        assert!(matches!(s.classify(b""), LineKind::Blank));
        assert!(matches!(s.classify(b" ,,, ,,,,\r"), LineKind::Blank));
        assert!(matches!(
            s.classify(
                b"\xEF\xBB\xBFyear,procedure,subject,grade,school_id,student_id,score,mark\r"
            ),
            LineKind::Header
        ));
        match s.classify(b"2024,VPR,ru,4,S1,P1,12,3\r") {
            LineKind::Data(f) => assert_eq!(f[5], b"P1"),
            _ => panic!("data expected"),
        }
        match s.classify(b"2024,VPR,ru,4,\"S,1\",P1,\"12,5\",3") {
            LineKind::Data(f) => {
                assert_eq!(f[4], b"S,1");
                assert_eq!(f[6], b"12,5");
            }
            _ => panic!("data expected"),
        }
        assert!(matches!(s.classify(b"2024,VPR,ru"), LineKind::Bad(_)));
        assert!(matches!(s.classify(b"2024,\"VPR,ru"), LineKind::Bad(_)));
    }
}
