//! keysprawl as a library: the pipeline the binary, tests, benches and fuzz
//! targets drive.
//!
//! ```text
//! sources ─> chunks ─> matcher ─> matches ─> findings ─> analysis ─> validation ─> report
//! ```
//!
//! Each stage owns its data type and hands it on; nothing reaches back.

pub mod allow;
pub mod analysis;
pub mod cli;
pub mod config;
pub mod decoders;
pub mod error;
pub mod findings;
pub mod matcher;
pub mod report;
pub mod rules;
pub mod safe_io;
pub mod scan;
pub mod sources;
pub mod validation;

pub use error::Error;
