//! Readers of the outside world. Today: the schools registry (CSV and XLSX).
//!
//! Readers return domain values or a precise list of problems (`FILE:LINE: what is wrong`); they never
//! write anything, so a rejected file leaves no trace.

pub mod error;
pub mod schools;
mod table;
mod text;

pub use error::{IngestError, Problem};
