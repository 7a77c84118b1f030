//! Importing road-map documents: the three real seeds, the same map as text, HTML and DOCX, bad
//! input, and properties of the analysis.

mod common;
mod errors;
mod formats;
mod limits;
mod properties;
mod seeds;
