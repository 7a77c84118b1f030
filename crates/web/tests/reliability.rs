//! Reliability as a busy region and an attacker meet it (issue #10): concurrent writers on one
//! database, hostile uploads, oversized bodies, idle connections, and the headers every answer
//! carries. Tests that read the database run on SQLite and, when `ORIENTIR_TEST_PG` is set, on
//! PostgreSQL with the same assertions.

mod common;
#[path = "reliability/concurrency.rs"]
mod concurrency;
#[path = "reliability/headers.rs"]
mod headers;
#[path = "reliability/limits.rs"]
mod limits;
#[path = "reliability/server.rs"]
mod server;
#[path = "reliability/support.rs"]
mod support;
