//! Tests of the Russian period parser, through the public API.

mod common;
mod occurrences;
mod properties;
mod table;
