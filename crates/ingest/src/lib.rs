//! Readers of the outside world: the schools registry (CSV, XLSX) and road-map documents (text,
//! HTML, DOCX).
//!
//! Readers return domain values or a precise list of problems (`FILE:LINE: what is wrong`); they never
//! write anything, so a rejected file leaves no trace.

pub mod error;
pub mod roadmap;
pub mod schools;
mod table;
mod text;

pub use error::{IngestError, Problem};
