//! The fast path for one row: a line in the canonical layout
//! (`year,procedure,subject,grade,school_id,student_id,score,mark`, in this
//! order and nothing else) without quotes or spaces around values is split
//! and validated in one walk over its bytes, with no allocation.
//!
//! It returns `None` for anything it does not accept outright: blank lines,
//! headers, quotes, spaces at the edges of a value, another field count, and
//! every invalid value. The caller then takes the general path (`split` +
//! `validate`), which gives the same row or the precise reasons. So the fast
//! path only has to agree with the general one on the rows it accepts; a unit
//! test and the reader's property tests check that.

use super::cell::Procedure;
use super::hash::load_u64;
use super::split::zero_bytes;
use super::text::{parse_score, parse_uint};
use super::validate::RawRow;

/// Longest line the fast path takes: one bit per byte of a `u128`.
const MAX_LINE: usize = 128;

/// Bit `k` set where byte `k` of `word` is zero.
#[inline]
fn zero_bits(word: u64) -> u64 {
    // 0x01 in each zero byte, gathered into the top byte by one multiplication
    // (the partial products never overlap, so nothing carries).
    ((zero_bytes(word) >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// A text value the general path would keep byte for byte: not empty, no
/// space, tab or carriage return at either edge (quotes are ruled out for
/// the whole line).
#[inline]
fn plain(value: &[u8]) -> Option<&[u8]> {
    let edge = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r');
    match (value.first(), value.last()) {
        (Some(first), Some(last)) if !edge(first) && !edge(last) => Some(value),
        _ => None,
    }
}

/// Splits and validates a line (without its `\n`) of the canonical layout.
/// `Some` only for a row the general path accepts with the same values.
#[inline(always)]
pub(crate) fn parse_canonical(line: &[u8], sep: u8) -> Option<RawRow<'_>> {
    let line = match line.split_last() {
        Some((b'\r', rest)) => rest,
        _ => line,
    };
    let n = line.len();
    if n > MAX_LINE {
        return None;
    }
    // One bit per separator (bit k of word k / 64), eight bytes at a time;
    // any quote sends the line to the general path (the csv crate).
    let sep_word = u64::from_ne_bytes([sep; 8]);
    let quote_word = u64::from_ne_bytes([b'"'; 8]);
    // Separator bits of bytes 0..64 and 64..128, kept in registers.
    let (mut low, mut high) = (0u64, 0u64);
    let mut quotes = 0u64;
    let mut chunks = line.chunks_exact(8);
    let mut at = 0usize;
    for chunk in &mut chunks {
        let word = load_u64(chunk);
        let bits = zero_bits(word ^ sep_word);
        if at < 64 {
            low |= bits << at;
        } else {
            high |= bits << (at - 64);
        }
        quotes |= zero_bytes(word ^ quote_word);
        at += 8;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The word is zero-padded: keep only the real bytes.
        let word = load_u64(rest);
        let real_bits = (1u64 << rest.len()) - 1;
        let bits = zero_bits(word ^ sep_word) & real_bits;
        if at < 64 {
            low |= bits << at;
        } else {
            high |= bits << (at - 64);
        }
        quotes |= zero_bits(word ^ quote_word) & real_bits;
    }
    if quotes != 0 {
        return None;
    }
    fields(line, ends128(u128::from(low) | u128::from(high) << 64)?)
}

/// Positions of the seven separators of a row whose separator bits (at
/// most 64 bytes) are `seps`; `None` for another count.
#[inline(always)]
fn ends64(mut seps: u64) -> Option<[usize; 7]> {
    if seps.count_ones() != 7 {
        return None;
    }
    Some(std::array::from_fn(|_| {
        let end = seps.trailing_zeros() as usize;
        seps &= seps.wrapping_sub(1);
        end
    }))
}

/// [`ends64`] for rows of up to [`MAX_LINE`] bytes.
#[inline(always)]
fn ends128(mut seps: u128) -> Option<[usize; 7]> {
    if seps.count_ones() != 7 {
        return None;
    }
    Some(std::array::from_fn(|_| {
        let end = seps.trailing_zeros() as usize;
        seps &= seps.wrapping_sub(1);
        end
    }))
}

/// The lines of a block, cut and split in one walk over it: the line ends,
/// separators and quotes of each 64 bytes are found at once (one bit per
/// byte), and each line takes its separators from those bits.
pub(crate) struct LineCutter<'a> {
    bytes: &'a [u8],
    sep: u8,
    /// Start of the 64 bytes whose bits are held.
    base: usize,
    newlines: u64,
    seps: u64,
    quotes: u64,
    /// Where the next line starts.
    pos: usize,
}

impl<'a> LineCutter<'a> {
    pub fn new(bytes: &'a [u8], sep: u8) -> LineCutter<'a> {
        let (newlines, seps, quotes) = masks(bytes, 0, sep);
        LineCutter {
            bytes,
            sep,
            base: 0,
            newlines,
            seps,
            quotes,
            pos: 0,
        }
    }

    /// The next line (without its `\n`) and, when the fast path takes it,
    /// its row: the same as [`parse_canonical`] says for that line.
    #[inline(always)]
    pub fn next_line(&mut self) -> Option<(&'a [u8], Option<RawRow<'a>>)> {
        let start = self.pos;
        if start >= self.bytes.len() {
            return None;
        }
        // Separator bits of the line's first 64 bytes (nearly every row is
        // shorter; a longer one is split again by `parse_canonical`); any quote.
        let mut seps = 0u64;
        let mut quotes = 0u64;
        let mut at = start;
        let end = loop {
            if at >= self.bytes.len() {
                break self.bytes.len();
            }
            if at >= self.base + 64 {
                self.base += 64;
                (self.newlines, self.seps, self.quotes) = masks(self.bytes, self.base, self.sep);
            }
            let off = at - self.base;
            let newlines = self.newlines >> off;
            // Bytes of this line among those from `at` on.
            let mine = if newlines == 0 {
                u64::MAX
            } else {
                (1u64 << newlines.trailing_zeros()) - 1
            };
            let rel = at - start;
            if rel < 64 {
                seps |= ((self.seps >> off) & mine) << rel;
            }
            quotes |= (self.quotes >> off) & mine;
            if newlines != 0 {
                break at + newlines.trailing_zeros() as usize;
            }
            at = self.base + 64;
        };
        self.pos = end + 1;
        let line = self.bytes.get(start..end)?;
        let stripped = match line.split_last() {
            Some((b'\r', rest)) => rest,
            _ => line,
        };
        // Longer lines may have separators past the bits kept.
        let row = if quotes != 0 {
            None
        } else if stripped.len() <= 64 {
            ends64(seps).and_then(|ends| fields(stripped, ends))
        } else {
            parse_canonical(stripped, self.sep)
        };
        Some((line, row))
    }
}

/// Bits of the line ends, separators and quotes among the 64 bytes from
/// `base` (zero past the end of `bytes`).
#[inline(always)]
fn masks(bytes: &[u8], base: usize, sep: u8) -> (u64, u64, u64) {
    match bytes.get(base..).and_then(|rest| rest.first_chunk::<64>()) {
        Some(chunk) => masks64(chunk, sep),
        None => masks_tail(bytes.get(base..).unwrap_or_default(), sep),
    }
}

/// [`masks`] of the last, short chunk of a block (zero-padded); out of line
/// so the zeroed copy is made once per block, not once per 64 bytes.
#[inline(never)]
fn masks_tail(rest: &[u8], sep: u8) -> (u64, u64, u64) {
    let mut tail = [0u8; 64];
    if let Some(dst) = tail.get_mut(..rest.len()) {
        dst.copy_from_slice(rest);
    }
    masks64(&tail, sep)
}

/// [`masks`] of 64 bytes with SSE2 (16 bytes per comparison).
#[cfg(all(
    any(target_arch = "x86", target_arch = "x86_64"),
    target_feature = "sse2"
))]
#[inline(always)]
fn masks64(chunk: &[u8; 64], sep: u8) -> (u64, u64, u64) {
    use safe_arch::{cmp_eq_mask_i8_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let newline = set_splat_i8_m128i(b'\n' as i8);
    let separator = set_splat_i8_m128i(sep as i8);
    let quote = set_splat_i8_m128i(b'"' as i8);
    let (mut n, mut s, mut q) = (0u64, 0u64, 0u64);
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let mut lanes = [0u8; 16];
        lanes.copy_from_slice(part);
        let v = m128i::from(lanes);
        let bits = |target| u64::from(move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, target)) as u16);
        n |= bits(newline) << (16 * k);
        s |= bits(separator) << (16 * k);
        q |= bits(quote) << (16 * k);
    }
    (n, s, q)
}

/// [`masks`] of 64 bytes, eight at a time in a machine word.
#[cfg(not(all(
    any(target_arch = "x86", target_arch = "x86_64"),
    target_feature = "sse2"
)))]
#[inline(always)]
fn masks64(chunk: &[u8; 64], sep: u8) -> (u64, u64, u64) {
    let newline = u64::from_ne_bytes([b'\n'; 8]);
    let separator = u64::from_ne_bytes([sep; 8]);
    let quote = u64::from_ne_bytes([b'"'; 8]);
    let (mut n, mut s, mut q) = (0u64, 0u64, 0u64);
    for (k, word) in chunk.chunks_exact(8).enumerate() {
        let w = load_u64(word);
        n |= zero_bits(w ^ newline) << (8 * k);
        s |= zero_bits(w ^ separator) << (8 * k);
        q |= zero_bits(w ^ quote) << (8 * k);
    }
    (n, s, q)
}

/// The fields of a line (without `\r` or quotes) whose seven separators
/// are at `ends`.
#[inline(always)]
fn fields(line: &[u8], ends: [usize; 7]) -> Option<RawRow<'_>> {
    let n = line.len();
    let [e0, e1, e2, e3, e4, e5, e6] = ends;
    let field = |from: usize, to: usize| line.get(from..to);

    // year: exactly four digits.
    if e0 != 4 {
        return None;
    }
    let year = u16::try_from(parse_uint(field(0, e0)?)?).ok()?;
    let procedure = Procedure::parse(field(e0 + 1, e1)?)?;
    let subject = plain(field(e1 + 1, e2)?)?;
    if subject.len() > 64 {
        return None;
    }
    let grade = match parse_uint(field(e2 + 1, e3)?)? {
        g @ 4..=11 => g as u8,
        _ => return None,
    };
    let school = plain(field(e3 + 1, e4)?)?;
    let student = plain(field(e4 + 1, e5)?)?;
    let score = parse_score(field(e5 + 1, e6)?)?;
    let raw_mark = field(e6 + 1, n)?;
    let mark = match procedure {
        Procedure::Ege => {
            if !raw_mark.is_empty() || score.value > 100.0 {
                return None;
            }
            None
        }
        Procedure::Vpr | Procedure::Oge => match raw_mark {
            [m @ b'2'..=b'5'] => Some(m - b'0'),
            _ => return None,
        },
    };
    Some(RawRow {
        year,
        procedure,
        subject,
        grade,
        school,
        student,
        score,
        mark,
    })
}

#[cfg(test)]
mod tests {
    use super::super::split::{LineKind, Splitter};
    use super::super::validate::validate;
    use super::*;

    /// The general path's answer for a line: the row's values, if valid.
    fn general(line: &[u8], sep: u8) -> Option<String> {
        let mut splitter = Splitter::new(sep, (0..8).map(Some).collect());
        match splitter.classify(line) {
            LineKind::Data(fields) => validate(&fields).ok().map(|r| format!("{r:?}")),
            _ => None,
        }
    }

    #[test]
    fn accepts_only_what_the_general_path_accepts_alike() {
        let lines: &[&[u8]] = &[
            b"2024,VPR,ru,4,S1,P1,12,3",
            b"2024,VPR,ru,4,S1,P1,12,3\r",
            b"2024,vpr,RU,04,S1,P1,12.5,2",
            b"2024,OGE,math,9,S1,P1,12,5",
            b"2024,EGE,math,11,S1,P1,26,",
            b"2024,EGE,math,11,S1,P1,100,",
            b"2024,EGE,math,11,S1,P1,100.5,",
            b"2024,EGE,math,11,S1,P1,26,4",
            b"2024,VPR,ru,4,S1,P1,12,",
            b"2024,VPR,ru,4,S1,P1,12,6",
            b"2024,VPR,ru,4,S1,P1,12,02",
            b"2024,VPR,ru,4,S1,P1,12,3,",
            b"2024,VPR,ru,4,S1,P1,12",
            b"2024,VPR,ru,12,S1,P1,12,3",
            b"2024,VPR,ru,4, S1,P1,12,3",
            b"2024,VPR,ru,4,S1 ,P1,12,3",
            b"2024,VPR,ru,4,\"S1\",P1,12,3",
            b"2024,VPR,ru,4,S\"1,P1,12,3",
            b"2024,VPR,,4,S1,P1,12,3",
            b"2024,VPR,ru,4,,P1,12,3",
            b"2024,VPR,ru,4,S1,,12,3",
            b"2024,VPR,ru,4,S1,P1,,3",
            b"2024,VPR,ru,4,S1,P1,-1,3",
            b"2024,VPR,ru,4,S1,P1,1e3,3",
            b"2024,XYZ,ru,4,S1,P1,12,3",
            "2024,ВПР,ru,4,S1,P1,12,3".as_bytes(),
            b"24,VPR,ru,4,S1,P1,12,3",
            b"20245,VPR,ru,4,S1,P1,12,3",
            b"\xEF\xBB\xBF2024,VPR,ru,4,S1,P1,12,3",
            b"year,procedure,subject,grade,school_id,student_id,score,mark",
            b"",
            b",,,,,,,",
            b"2024;VPR;ru;4;S1;P1;12,5;3",
            b"2024,VPR,ru,4,S1,P1234567890123456789012345678901234567890,12,3",
            b"2024,VPR,ru,4,S1,P12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890,12,3",
            b"2024,VPR,ru,4,S1,P1,12,3\r\r",
            b"2024,VPR,ru,4,S1,P1\t,12,3",
            b"2024,VPR,r\"u,4,S1,P1,12,3",
        ];
        for &line in lines {
            for sep in [b',', b';'] {
                let fast = parse_canonical(line, sep).map(|r| format!("{r:?}"));
                if fast.is_some() {
                    assert_eq!(
                        fast,
                        general(line, sep),
                        "{}",
                        String::from_utf8_lossy(line)
                    );
                }
            }
        }
        assert!(parse_canonical(b"2024,VPR,ru,4,S1,P1,12,3\r", b',').is_some());
        assert!(parse_canonical(b"2024;VPR;ru;4;S1;P1;12,5;3", b';').is_some());
        assert!(parse_canonical(b"2024,EGE,math,11,S1,P1,26,", b',').is_some());
        assert!(
            parse_canonical(
                b"2024,VPR,ru,4,S1,P1234567890123456789012345678901234567890,12,3",
                b','
            )
            .is_some()
        );
    }

    /// `LineCutter` gives the lines of cutting at `\n`, each with the row
    /// `parse_canonical` gives for it.
    fn assert_cut_agrees(text: &[u8], sep: u8) {
        let mut expected: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        if text.last() == Some(&b'\n') || text.is_empty() {
            expected.pop();
        }
        let mut cutter = LineCutter::new(text, sep);
        for line in expected {
            let (got, row) = cutter.next_line().expect("a line");
            assert_eq!(got, line, "{}", String::from_utf8_lossy(text));
            assert_eq!(
                row.map(|r| format!("{r:?}")),
                parse_canonical(line, sep).map(|r| format!("{r:?}")),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert!(cutter.next_line().is_none());
    }

    #[test]
    fn cutting_agrees_with_parsing_cut_lines() {
        let lines: &[&[u8]] = &[
            b"2024,VPR,ru,4,S1,P1,12,3",
            b"2024,VPR,ru,4,S1,P1,12,3\r",
            b"2024,EGE,math,11,S1,P1,26,",
            b"2024,VPR,ru,4,S1,P1,12,3,",
            b"2024,VPR,ru,4,S\"1,P1,12,3",
            b"2024;VPR;ru;4;S1;P1;12,5;3",
            b"",
            b"2024,VPR,ru,4,S1,P12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901,12,3",
            b"2024,VPR,ru,4,S1,P1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234,12,3\r",
            b"2024,VPR,ru,4,S1,P12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345,12,3",
            b"2024,VPR,ru,4,S1,P1,12,3\r\r",
        ];
        for sep in [b',', b';'] {
            for a in lines {
                assert_cut_agrees(a, sep);
                for b in lines {
                    let mut text = a.to_vec();
                    text.push(b'\n');
                    text.extend_from_slice(b);
                    assert_cut_agrees(&text, sep);
                    text.push(b'\n');
                    assert_cut_agrees(&text, sep);
                }
            }
        }
        // Lines across 64-byte chunks, blank lines, a last line without `\n`.
        let mut text = Vec::new();
        for i in 0..200 {
            text.extend_from_slice(format!("2024,VPR,ru,4,S{i},P{},12,3\n", i * 7919).as_bytes());
            if i % 17 == 0 {
                text.extend_from_slice(b"\n\r\n");
            }
        }
        text.extend_from_slice(b"2024,VPR,ru,4,S1,P1,12,3");
        for sep in [b',', b';'] {
            for cut in 0..text.len().min(300) {
                assert_cut_agrees(&text[cut..], sep);
            }
        }
    }

    /// Mostly a valid value, sometimes a doubtful one.
    fn field(
        valid: &'static [&'static str],
        doubtful: &'static [&'static str],
    ) -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        prop_oneof![
            6 => proptest::sample::select(valid),
            1 => proptest::sample::select(doubtful),
        ]
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_general_one(
            year in field(&["2024", "2023"], &["202", "20245", " 2024", "year", ""]),
            procedure in field(&["VPR", "OGE", "EGE", "ege"], &["ВПР", "GIA", "VPR ", ""]),
            subject in field(&["ru", "RU", "math", "inf"], &[" ru", "ru\t", "", "r\"u"]),
            grade in field(&["4", "9", "11", "04"], &["12", "3", "x", ""]),
            school in field(&["S1", "S2"], &["S 1", " S1", "S1\r", ""]),
            student in field(&["P1", "P12345678"], &["\"P1\"", "P\"1", ""]),
            score in field(&["12", "12.5", "100", "0.5"], &["12,5", "100.5", "101", "-1", "1e3", ",", "0.1234", ""]),
            mark in field(&["2", "3", "5", ""], &["6", "1", "02", "x", " 3"]),
            extra in field(&[""], &[",", ";", ",x"]),
            sep in proptest::prop_oneof![proptest::strategy::Just(','), proptest::strategy::Just(';')],
            cr in proptest::bool::ANY,
        ) {
            let fields = [year, procedure, subject, grade, school, student, score, mark];
            let mut line = fields.join(&sep.to_string()) + extra;
            if cr {
                line.push('\r');
            }
            let sep = sep as u8;
            let fast = parse_canonical(line.as_bytes(), sep).map(|r| format!("{r:?}"));
            assert_cut_agrees(format!("{line}\n{line}").as_bytes(), sep);
            if fast.is_some() {
                proptest::prop_assert_eq!(fast, general(line.as_bytes(), sep), "{}", line);
            }
        }
    }
}
