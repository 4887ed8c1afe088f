//! Sources enumerate content and say where it came from. Each source scans
//! its content in parallel through a shared [`Scanner`] and delivers hits
//! with their [`Site`] into a [`Sink`].

pub mod fs;
pub mod git;
mod git_cache;
pub mod stdin;
pub mod whole;

use crate::error::Error;
use crate::scan::{Scanner, Sink};

/// A kind of input: it enumerates its content, scans it through the shared
/// [`Scanner`] (in parallel as it sees fit) and delivers every hit, with the
/// place its content lives, to the [`Sink`]. A new source is one file with
/// one implementation of this trait, plus its line in
/// `pipeline::sources`.
pub trait Source: Send + Sync {
    /// What is being read, for error entries (a path, `-`, a repository).
    fn describe(&self) -> String;
    /// Read everything; an `Err` is a failure of the whole source.
    fn scan(&self, scanner: &Scanner, sink: &dyn Sink) -> Result<(), Error>;
    /// A repository (the pipeline says when none of several could be read).
    fn is_repository(&self) -> bool {
        false
    }
    /// A failure is an error entry in the report and the run goes on.
    fn tolerates_failure(&self) -> bool {
        false
    }
}

pub use crate::origin::{
    CiDocument, CiSystem, Commit, Origin, Site, SourceKind, ci_system, display_path, root_label,
};
