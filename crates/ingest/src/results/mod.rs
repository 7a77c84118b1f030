//! Assessment results (ВПР, ОГЭ, ЕГЭ): student-level and aggregated readers,
//! and a deterministic generator of realistic files.

mod aggregated;
mod cell;
mod duplicates;
mod error;
mod fast;
mod first_pass;
mod generate;
mod hash;
mod header;
mod options;
mod scan;
mod spill;
mod split;
mod student;
mod tables;
mod text;
mod validate;

pub use aggregated::{AggregatedFile, AggregatedOptions, read_aggregated};
pub use cell::{AggregateCell, Procedure};
pub use error::{DISPLAY_PROBLEMS, Problem, ResultsError, STORED_PROBLEMS};
pub use generate::{GenSpec, GenSummary, generate, generate_schools_csv};
pub use options::{CellFilter, ProgressFn, ResultsOptions, default_ege_min};
pub use student::{
    Aggregation, InternedAggregation, MAX_DUPLICATE_ROWS, aggregate_file, aggregate_file_interned,
};
