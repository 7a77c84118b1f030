//! Byte-level helpers: BOM, trimming, number parsing and showing raw bytes in
//! Russian error messages (values may come in Windows-1251).

/// UTF-8 byte order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Removes a leading UTF-8 BOM, if any.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Trims ASCII spaces, tabs and carriage returns on both sides.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r');
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |p| p + 1);
    &bytes[start..end]
}

/// Decodes bytes for display: UTF-8 when valid, otherwise Windows-1251
/// (the usual encoding of Russian CSV exports). Long values are shortened.
pub(crate) fn display(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    const MAX_CHARS: usize = 40;
    if text.chars().count() > MAX_CHARS {
        let mut short: String = text.chars().take(MAX_CHARS).collect();
        short.push('…');
        short
    } else {
        text
    }
}

/// Decodes an identifier for output (UTF-8, or Windows-1251 when not UTF-8).
pub(crate) fn decode_owned(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Parses a non-empty run of ASCII digits (at most 18 of them).
pub(crate) fn parse_uint(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 18 {
        return None;
    }
    let mut value = 0u64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(b - b'0');
    }
    Some(value)
}

/// A parsed score. `milli` holds the exact value in thousandths when the
/// score has at most three decimals, so sums do not depend on the order of
/// addition (and so on block sizes and thread counts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Score {
    pub value: f64,
    pub milli: Option<i64>,
}

const POW10: [f64; 19] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// Parses a non-negative decimal number written `12`, `12.5` or `12,5`.
/// Returns `None` for anything else (including a sign or an exponent).
/// Always inlined: returned through memory, its result costs a stall.
#[inline(always)]
pub(crate) fn parse_score(bytes: &[u8]) -> Option<Score> {
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut decimals: Option<usize> = None;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 18 {
                    return parse_long_score(bytes);
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            b'.' | b',' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let scale = decimals.unwrap_or(0);
    // Both operands are exact in f64 here, so one division is correctly
    // rounded: the same value `str::parse::<f64>` gives.
    let value = if mantissa < (1u64 << 53) {
        if scale == 0 {
            // Exact, and no division for the common whole score.
            mantissa as f64
        } else {
            mantissa as f64 / POW10[scale]
        }
    } else {
        return parse_long_score(bytes);
    };
    let milli = match scale {
        0..=3 => i64::try_from(mantissa)
            .ok()
            .and_then(|m| m.checked_mul(10i64.pow(3 - scale as u32))),
        _ => None,
    };
    Some(Score { value, milli })
}

/// Slow path for scores with many digits.
#[cold]
#[inline(never)]
fn parse_long_score(bytes: &[u8]) -> Option<Score> {
    let text = std::str::from_utf8(bytes).ok()?.replace(',', ".");
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    Some(Score { value, milli: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parse_with_comma_or_dot() {
        assert_eq!(parse_score(b"12,5").map(|s| s.value), Some(12.5));
        assert_eq!(parse_score(b"12.5").map(|s| s.milli), Some(Some(12_500)));
        assert_eq!(parse_score(b"7").map(|s| s.milli), Some(Some(7_000)));
        assert_eq!(parse_score(b"0.1").map(|s| s.value), Some(0.1));
        assert_eq!(parse_score(b"1.2345").map(|s| s.milli), Some(None));
        assert_eq!(parse_score(b""), None);
        assert_eq!(parse_score(b","), None);
        assert_eq!(parse_score(b"-1"), None);
        assert_eq!(parse_score(b"1e3"), None);
        assert_eq!(parse_score(b"1.2.3"), None);
        assert_eq!(
            parse_score(b"12345678901234567890").map(|s| s.value),
            Some(12345678901234567890.0)
        );
    }

    #[test]
    fn trim_and_bom() {
        assert_eq!(trim(b"  a b\t\r"), b"a b");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(strip_bom(b"\xEF\xBB\xBFyear"), b"year");
    }

    #[test]
    fn display_decodes_cp1251() {
        assert_eq!(display(b"\xf0\xf3"), "ру");
        assert_eq!(display("пять".as_bytes()), "пять");
    }
}
