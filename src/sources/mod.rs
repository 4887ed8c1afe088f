//! Sources enumerate content and say where it came from. Each source scans
//! its content in parallel through a shared [`Scanner`] and delivers hits
//! with their [`Site`] into a [`Sink`].

pub mod fs;
pub mod git;
pub mod stdin;

use std::sync::Arc;

use serde::Serialize;

/// What kind of place a location is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A file in a work tree (or a file named on the command line).
    File,
    /// A blob or commit message in git history.
    Git,
    /// A blob staged in the index, about to be committed.
    Staged,
    /// Standard input.
    Stdin,
}

/// One place a piece of content lives: for a file its path; for a git blob
/// each (commit, path) that introduced it. Line and column come from the hit.
#[derive(Debug, Clone)]
pub struct Place {
    pub repo: Option<Arc<str>>,
    pub path: Arc<str>,
    pub source: SourceKind,
    pub commit: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    /// Unix seconds of `date`, for sorting and exposure arithmetic.
    pub timestamp: Option<i64>,
    pub present_at_head: Option<bool>,
    /// `blob`, `commit-message`, `dangling-blob` … for git places.
    pub object: Option<String>,
}

impl Place {
    pub fn file(repo: Option<Arc<str>>, path: Arc<str>) -> Place {
        Place {
            repo,
            path,
            source: SourceKind::File,
            commit: None,
            author: None,
            date: None,
            timestamp: None,
            present_at_head: Some(true),
            object: None,
        }
    }
}

/// All places one piece of content lives at.
#[derive(Debug, Clone)]
pub struct Site {
    pub places: Vec<Place>,
}

impl Site {
    pub fn single(place: Place) -> Site {
        Site {
            places: vec![place],
        }
    }
}
