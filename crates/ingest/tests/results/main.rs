//! Assessment results: student-level aggregation (problems, duplicates, equivalence with a simple
//! reference), aggregated files, and the generator.

mod aggregated;
mod cell_filter;
mod common;
mod generator;
mod property;
mod student_duplicates;
mod student_problems;
