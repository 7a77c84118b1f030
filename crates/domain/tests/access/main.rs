//! Tests of the one permission check (DESIGN.md §9), through the public API.

mod common;
mod matrix;
mod properties;
mod scenarios;
