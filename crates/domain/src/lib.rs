//! Orientir's domain: the types and pure rules of адресная поддержка.
//!
//! Invariant: this crate does no I/O and has no async code. It never sees SQL, HTTP or files;
//! readers (`orientir-ingest`) and storage (`orientir-store`) turn the outside world into these values.

pub mod access;
pub mod demo;
pub mod error;
pub mod identify;
pub mod monitoring;
pub mod period;
pub mod registry;
pub mod roadmap;
pub mod text;

pub use error::DomainError;
