//! Tests of the road-map writers: round trips through the DOCX importer, the DOCX's XML
//! against a golden file, the XLSX read back with calamine, and LibreOffice opening the DOCX.

mod common;
mod docx;
mod libreoffice;
mod roundtrip;
mod xlsx;
