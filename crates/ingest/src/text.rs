//! Decoding of text files as users' systems write them: UTF-8 with or without BOM, or Windows-1251.

use std::borrow::Cow;

/// Decodes bytes to text: UTF-8 (BOM stripped) when valid, Windows-1251 otherwise, since that is
/// what Russian Excel saves as «CSV (разделители — точка с запятой)».
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Picks the field separator from the header line: `;`, tab or `,`, whichever occurs most.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.matches(c).count();
    let candidates = [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))];
    candidates
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == b','))
        .map_or(b',', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_reads_cp1251() {
        assert_eq!(decode(b"\xEF\xBB\xBFschool_id"), "school_id");
        // «село» in Windows-1251.
        assert_eq!(decode(&[0xF1, 0xE5, 0xEB, 0xEE]), "село");
    }

    #[test]
    fn delimiter_from_header() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("\na,b,c"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
    }
}
