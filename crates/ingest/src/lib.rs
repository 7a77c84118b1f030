//! Readers of the outside world: the schools registry (CSV, XLSX), assessment results (student-level
//! CSV aggregated per school on the fly; aggregated CSV/XLSX) and road-map documents (text, HTML, DOCX).
//!
//! Readers return domain values or a precise list of problems (`FILE:LINE: what is wrong`); they never
//! write anything, so a rejected file leaves no trace.

pub mod error;
pub mod results;
pub mod roadmap;
pub mod schools;
mod table;
mod text;

pub use error::{IngestError, Problem};
