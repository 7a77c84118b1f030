//! Importing road maps (дорожные карты) from plain text, HTML and DOCX.
//!
//! Each source ([`import_text`], [`import_html`], [`import_docx`]) builds the
//! same intermediate document (paragraphs and tables); one analysis turns it
//! into a [`RoadMap`] plus an [`ImportReport`] of what could not be placed.

mod analyse;
mod document;
mod docx_source;
mod error;
mod header;
mod html_source;
mod limits;
mod normalize;
mod preamble;
mod responsible;
mod sections;
mod text_source;

use std::io::Read;
use std::path::Path;

pub use error::ImportError;
use limits::Budget;
pub use limits::Limits;
pub use orientir_domain::roadmap::{
    Activity, ImportReport, Level, Order, RoadMap, Section, Warning,
};

/// The result of an import: the road map and the warnings.
pub type Imported = Result<(RoadMap, ImportReport), ImportError>;

/// Imports plain text where table rows are tab-separated lines.
pub fn import_text(text: &str) -> Imported {
    text_within(text, &mut Budget::new(Limits::default()))
}

/// Imports an HTML page; tables come from `<table>`.
pub fn import_html(html: &str) -> Imported {
    html_within(html, &mut Budget::new(Limits::default()))
}

/// Imports a Word document (DOCX).
pub fn import_docx(bytes: &[u8]) -> Imported {
    docx_within(bytes, &mut Budget::new(Limits::default()))
}

fn text_within(text: &str, budget: &mut Budget) -> Imported {
    budget.check_bytes(text.len())?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if looks_binary(text) {
        return Err(ImportError::NotADocument);
    }
    let doc = text_source::read(text);
    budget.document(&doc)?;
    analysed(&doc, budget)
}

fn html_within(html: &str, budget: &mut Budget) -> Imported {
    budget.check_bytes(html.len())?;
    if html.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if looks_binary(html) {
        return Err(ImportError::NotADocument);
    }
    let doc = html_source::read(html, budget)?;
    analysed(&doc, budget)
}

fn docx_within(bytes: &[u8], budget: &mut Budget) -> Imported {
    budget.check_bytes(bytes.len())?;
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let doc = docx_source::read(bytes)?;
    budget.document(&doc)?;
    analysed(&doc, budget)
}

/// The analysis of a document within the budget's time and activity limits.
fn analysed(doc: &document::Document, budget: &Budget) -> Imported {
    budget.check_time()?;
    let (map, report) = analyse::analyse(doc)?;
    budget.activities(map.activities().count())?;
    Ok((map, report))
}

/// Imports a file, choosing the reader by content and extension: a zip
/// (`PK`) is DOCX, `.html`/`.htm` or text starting with `<` is HTML,
/// anything else is text (UTF-8, or Windows-1251 when not UTF-8).
/// Errors name the file.
pub fn import_path(path: impl AsRef<Path>) -> Result<(RoadMap, ImportReport), crate::IngestError> {
    let path = path.as_ref();
    let refused = |reason| crate::IngestError::RoadMap {
        path: path.to_owned(),
        reason,
    };
    let limits = Limits::default();
    let file = std::fs::File::open(path).map_err(|e| crate::IngestError::io(path, e))?;
    // Refuse a huge file before reading it, and read no more than the limit of a growing one.
    let size = file
        .metadata()
        .map_err(|e| crate::IngestError::io(path, e))?
        .len();
    let budget = Budget::new(limits);
    budget
        .check_bytes(usize::try_from(size).unwrap_or(usize::MAX))
        .map_err(refused)?;
    let mut bytes = Vec::new();
    file.take(limits.max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::IngestError::io(path, e))?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    import_bytes_within(&bytes, extension.as_deref(), limits).map_err(refused)
}

/// Like [`import_path`] for bytes already read; `extension` (without the
/// dot) is a hint.
pub fn import_bytes(bytes: &[u8], extension: Option<&str>) -> Imported {
    import_bytes_within(bytes, extension, Limits::default())
}

/// Like [`import_bytes`] with other limits than the default ones.
pub fn import_bytes_within(bytes: &[u8], extension: Option<&str>, limits: Limits) -> Imported {
    let budget = &mut Budget::new(limits);
    budget.check_bytes(bytes.len())?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || extension == Some("docx") {
        return docx_within(bytes, budget);
    }
    if bytes.contains(&0) {
        return Err(ImportError::NotADocument);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => decode_windows_1251(bytes).ok_or(ImportError::NotADocument)?,
    };
    let content = text.trim_start_matches('\u{feff}').trim_start();
    if matches!(extension, Some("html" | "htm")) || content.starts_with('<') {
        html_within(&text, budget)
    } else {
        text_within(&text, budget)
    }
}

/// Control characters other than whitespace mark binary data.
fn looks_binary(text: &str) -> bool {
    let sample = text.chars().take(4096);
    let mut total = 0usize;
    let mut control = 0usize;
    for c in sample {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
            control += 1;
        }
    }
    control > 0 && control * 20 > total.max(1) || text.contains('\0')
}

/// Decodes Windows-1251 (the usual Russian legacy encoding); `None` when the
/// result does not look like Russian text.
fn decode_windows_1251(bytes: &[u8]) -> Option<String> {
    let text: String = bytes
        .iter()
        .map(|&b| match b {
            0x00..=0x7f => char::from(b),
            0xc0..=0xff => char::from_u32(0x0410 + u32::from(b - 0xc0)).unwrap_or('\u{fffd}'),
            0xa8 => 'Ё',
            0xb8 => 'ё',
            0xb9 => '№',
            0xab => '«',
            0xbb => '»',
            0x96 => '–',
            0x97 => '—',
            0x93 => '“',
            0x94 => '”',
            0x85 => '…',
            0xa0 => ' ',
            _ => '\u{fffd}',
        })
        .collect();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let cyrillic = text
        .chars()
        .filter(|c| ('\u{0400}'..='\u{04ff}').contains(c))
        .count();
    (cyrillic * 2 >= letters && !looks_binary(&text)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_text_is_decoded() {
        let bytes = [0xcf, 0xd0, 0xc8, 0xca, 0xc0, 0xc7];
        assert_eq!(decode_windows_1251(&bytes).as_deref(), Some("ПРИКАЗ"));
        assert!(looks_binary("\u{1}\u{2}\u{3}abc"));
        assert!(!looks_binary("Сроки\tОтветственный\r\n"));
    }
}
