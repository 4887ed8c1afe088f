//! keysprawl as a library.
//!
//! The façade is small: build a [`ScanPlan`] (or [`ScanPlan::work_tree`]),
//! call [`run`], and read the [`Report`] in the [`Outcome`]; write it with
//! [`Report::write`] in any [`Format`]. [`report::v1`] is the frozen JSON
//! contract (its JSON Schema is `keysprawl report-schema`), and
//! [`rules::RuleSet`] loads and checks rule files.
//!
//! ```text
//! plan ─> sources ─> decoders ─> matcher ─> findings ─> suppression ─> analysis
//!      ─> validation ─> assessment ─> CI audits ─> report
//! ```
//!
//! Each stage hands its output on and never reaches back: the module
//! layering is checked by `tests/layering.rs` and drawn in
//! `docs/architecture.md`.
//!
//! The stage modules below the façade are public so the fuzz targets,
//! benches and integration tests can drive each stage alone; they are not a
//! stable API (`#[doc(hidden)]`).

pub mod error;
pub mod pipeline;
pub mod report;
pub mod rules;

#[doc(hidden)]
pub mod allow;
#[doc(hidden)]
pub mod analysis;
#[doc(hidden)]
pub mod ci;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod decoders;
#[doc(hidden)]
pub mod findings;
/// `.keysprawlignore` and gitleaks' `.gitleaksignore`.
pub mod ignorefile;
#[doc(hidden)]
pub mod matcher;
#[doc(hidden)]
pub mod origin;
pub(crate) mod safe_io;
#[doc(hidden)]
pub mod scan;
#[doc(hidden)]
pub mod sources;
pub(crate) mod validation;

pub use error::Error;
pub use pipeline::{Outcome, RuleChoice, ScanMode, ScanPlan, run};
pub use report::{Format, Report};
