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
use super::text::{parse_score, parse_uint};
use super::validate::RawRow;

/// Index of the first `sep` at or after `from`.
#[inline]
fn field_end(line: &[u8], from: usize, sep: u8) -> Option<usize> {
    line.get(from..)?
        .iter()
        .position(|&b| b == sep)
        .map(|i| from + i)
}

/// A text value the general path would keep byte for byte: not empty, no
/// quote, no space, tab or carriage return at either edge.
#[inline]
fn plain(value: &[u8]) -> Option<&[u8]> {
    let edge = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r');
    match (value.first(), value.last()) {
        (Some(first), Some(last)) if !edge(first) && !edge(last) && !value.contains(&b'"') => {
            Some(value)
        }
        _ => None,
    }
}

/// Splits and validates a line (without its `\n`) of the canonical layout.
/// `Some` only for a row the general path accepts with the same values.
#[inline]
pub(crate) fn parse_canonical(line: &[u8], sep: u8) -> Option<RawRow<'_>> {
    let line = match line.split_last() {
        Some((b'\r', rest)) => rest,
        _ => line,
    };
    // year: exactly four digits.
    if *line.get(4)? != sep {
        return None;
    }
    let year = u16::try_from(parse_uint(line.get(..4)?)?).ok()?;
    let end = field_end(line, 5, sep)?;
    let procedure = Procedure::parse(line.get(5..end)?)?;
    let start = end + 1;
    let end = field_end(line, start, sep)?;
    let subject = plain(line.get(start..end)?)?;
    if subject.len() > 64 {
        return None;
    }
    let start = end + 1;
    let end = field_end(line, start, sep)?;
    let grade = match parse_uint(line.get(start..end)?)? {
        g @ 4..=11 => g as u8,
        _ => return None,
    };
    let start = end + 1;
    let end = field_end(line, start, sep)?;
    let school = plain(line.get(start..end)?)?;
    let start = end + 1;
    let end = field_end(line, start, sep)?;
    let student = plain(line.get(start..end)?)?;
    let start = end + 1;
    let end = field_end(line, start, sep)?;
    let score = parse_score(line.get(start..end)?)?;
    // The rest is the mark: a ninth field fails the checks below.
    let raw_mark = line.get(end + 1..)?;
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
    }
}
