//! The road map as a Word document: the appendix to the approving order.
//!
//! Written by hand with `quick-xml` and `zip` rather than a DOCX crate: `docx-rs`, the
//! maintained one, cannot mark a table row as a header repeated on every page (`w:tblHeader`),
//! which a many-page road map needs. The package holds only what Word and LibreOffice require:
//! content types, relationships, the document, styles, settings and document properties.

mod body;
mod parts;
mod xml;

use std::io::{Cursor, Write};

use orientir_domain::roadmap::RoadMap;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::{Approval, ReportError};

/// The road map as a DOCX document: landscape A4, the «УТВЕРЖДЕНА приказом … от … № …» block
/// at the top right (from `approval`, gaps filled from `map.order`; left out when nothing is
/// known), the title, the goals, tasks and expected results, then one table of sections and
/// activities whose header row repeats on every page. Times New Roman 12 throughout.
///
/// The bytes are the same for the same input (no timestamps).
pub fn road_map_docx(map: &RoadMap, approval: &Approval) -> Result<Vec<u8>, ReportError> {
    let document = body::document_xml(map, approval)?;
    let core = parts::core_xml(&map.title)?;
    let files: [(&str, &[u8]); 8] = [
        ("[Content_Types].xml", parts::CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", parts::ROOT_RELS.as_bytes()),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", parts::APP.as_bytes()),
        ("word/document.xml", &document),
        (
            "word/_rels/document.xml.rels",
            parts::DOCUMENT_RELS.as_bytes(),
        ),
        ("word/styles.xml", parts::STYLES.as_bytes()),
        ("word/settings.xml", parts::SETTINGS.as_bytes()),
    ];
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in files {
        archive.start_file(name, options)?;
        archive.write_all(bytes)?;
    }
    Ok(archive.finish()?.into_inner())
}
