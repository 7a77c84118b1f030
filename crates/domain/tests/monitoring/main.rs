//! Tests of execution monitoring (DESIGN.md §8), through the public API.

mod common;
mod due;
mod filling;
mod properties;
mod status;
mod transitions;
