//! Integration tests of the identification engine, through the public API.

mod common;
mod config_toml;
mod declining;
mod ege_recount;
mod low_results;
mod mentor;
mod output;
mod parameters;
mod property;
mod social_risk;
