//! The one error type of the crate.

/// Why a document could not be written. These are internal failures (the writers accept any
/// road map); the messages are in Russian because they reach users.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("не удалось сформировать DOCX: {0}")]
    Docx(String),
    #[error("не удалось сформировать XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

impl From<std::io::Error> for ReportError {
    fn from(e: std::io::Error) -> Self {
        ReportError::Docx(e.to_string())
    }
}

impl From<zip::result::ZipError> for ReportError {
    fn from(e: zip::result::ZipError) -> Self {
        ReportError::Docx(e.to_string())
    }
}
