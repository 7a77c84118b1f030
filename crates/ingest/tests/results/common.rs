#![allow(dead_code)]

use std::path::PathBuf;

use orientir_ingest::results::{Aggregation, ResultsError, ResultsOptions, aggregate_file};

pub const HEADER: &str = "year,procedure,subject,grade,school_id,student_id,score,mark";

/// Writes bytes into a temp file and returns the directory guard and path.
pub fn write_file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("results.csv");
    std::fs::write(&path, bytes).expect("write");
    (dir, path)
}

pub fn run(text: &str, opts: &ResultsOptions) -> Result<Aggregation, ResultsError> {
    let (_dir, path) = write_file(text.as_bytes());
    aggregate_file(&path, opts)
}

/// Problems of a rejected import as (line, message).
pub fn rejected(text: &str, opts: &ResultsOptions) -> (Vec<(u64, String)>, u64) {
    match run(text, opts) {
        Err(ResultsError::Rejected {
            problems, total, ..
        }) => (
            problems.into_iter().map(|p| (p.line, p.message)).collect(),
            total,
        ),
        other => panic!("expected rejection, got {other:?}"),
    }
}

pub fn opts() -> ResultsOptions {
    ResultsOptions::default()
}
