//! Where content comes from: the place a piece of content lives (a file, a
//! blob at the commits that introduced it, standard input), how such places
//! are named to people, and which CI system a path configures. Every stage
//! after the sources reads these types; none of them needs the sources.

use std::sync::Arc;

use serde::Serialize;

mod context;
pub use context::{
    Context, classify as context_of, looks_like_test, of_location as location_context,
};

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

/// How a scanned root is named in its locations' `repo`: as given, minus
/// a leading `./` (`.` for the current directory).
pub fn root_label(root: &std::path::Path) -> Arc<str> {
    let s = root.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    Arc::from(if s.is_empty() { "." } else { s })
}

/// How a place is named to a person: `repo/path`, or just `path` for the
/// current directory and for places outside any scanned root.
pub fn display_path(repo: Option<&str>, path: &str) -> String {
    match repo {
        Some(r) if r != "." => format!("{r}/{path}"),
        _ => path.to_string(),
    }
}

/// A CI system whose configuration files the analysis reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CiSystem {
    GithubActions,
    Gitlab,
    Circleci,
    AzurePipelines,
    BitbucketPipelines,
    Jenkins,
    Travis,
    Buildkite,
}

/// Which CI system, if any, a repository-relative path configures.
pub fn ci_system(path: &str) -> Option<CiSystem> {
    let p = path.trim_start_matches("./");
    let name = p.rsplit('/').next().unwrap_or(p);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml && (p.contains(".github/workflows/") || p.starts_with(".github/workflows/")) {
        return Some(CiSystem::GithubActions);
    }
    if name == ".gitlab-ci.yml" || (yaml && p.contains(".gitlab/ci/")) {
        return Some(CiSystem::Gitlab);
    }
    if p.ends_with(".circleci/config.yml") || p.ends_with(".circleci/config.yaml") {
        return Some(CiSystem::Circleci);
    }
    if name == "azure-pipelines.yml"
        || name == "azure-pipelines.yaml"
        || (yaml && p.contains(".azure-pipelines/"))
    {
        return Some(CiSystem::AzurePipelines);
    }
    if name == "bitbucket-pipelines.yml" {
        return Some(CiSystem::BitbucketPipelines);
    }
    if name == "Jenkinsfile" || name.ends_with(".jenkinsfile") {
        return Some(CiSystem::Jenkins);
    }
    if name == ".travis.yml" {
        return Some(CiSystem::Travis);
    }
    if yaml && p.contains(".buildkite/") {
        return Some(CiSystem::Buildkite);
    }
    None
}

/// A CI configuration file's text, handed to the analysis stage.
#[derive(Debug, Clone)]
pub struct CiDocument {
    pub repo: Option<String>,
    pub path: String,
    pub system: CiSystem,
    pub text: String,
}

/// The commit that introduced content at a path (shared by all the places
/// it introduced).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Commit {
    /// The commit id in hex.
    pub id: String,
    /// `Name <email>`; unknown for a commit read leniently.
    pub author: Option<String>,
    /// RFC 3339; unknown for a commit read leniently.
    pub date: Option<String>,
    /// Unix seconds of `date`, for sorting and exposure arithmetic.
    pub time: Option<i64>,
}

/// Where one piece of content lives: for a file its path; for a git blob
/// each (commit, path) that introduced it. Line and column come from the
/// hit. A source that reads a new kind of place adds a variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// A file in a work tree, or one named on the command line.
    File {
        repo: Option<Arc<str>>,
        path: Arc<str>,
    },
    /// Standard input (`-`).
    Stdin,
    /// A blob staged in the index, about to be committed.
    Staged {
        repo: Option<Arc<str>>,
        path: Arc<str>,
    },
    /// A blob that `commit` introduced at `path`.
    Blob {
        repo: Arc<str>,
        path: Arc<str>,
        /// The blob's id in hex.
        id: Arc<str>,
        commit: Arc<Commit>,
        /// HEAD still holds this blob at this path.
        present_at_head: bool,
        /// Unix seconds of the latest commit that removed the blob from a path.
        removed_at: Option<i64>,
    },
    /// The message of `commit` (named `path` in reports).
    CommitMessage {
        repo: Arc<str>,
        path: Arc<str>,
        commit: Arc<Commit>,
    },
    /// A blob no ref reaches (`--all-objects`), named `path` in reports.
    Unreachable { repo: Arc<str>, path: Arc<str> },
    /// A member of an archive that lives at `parent`; `path` is the member's
    /// path inside it (nested archives joined by `!`).
    Member {
        parent: Box<Origin>,
        /// `parent's path!member`, as reports name it.
        path: Arc<str>,
    },
}

/// How standard input is named in reports.
const STDIN_PATH: &str = "-";

impl Origin {
    /// A file in a work tree, under the root named `repo` (or none).
    pub fn file(repo: Option<Arc<str>>, path: Arc<str>) -> Origin {
        Origin::File { repo, path }
    }

    /// The member `member` of the archive at this origin.
    pub fn member(&self, member: &str) -> Origin {
        Origin::Member {
            path: Arc::from(format!("{}!{member}", self.path())),
            parent: Box::new(self.clone()),
        }
    }

    /// The kind of source that read it.
    pub fn kind(&self) -> SourceKind {
        match self {
            Origin::File { .. } => SourceKind::File,
            Origin::Stdin => SourceKind::Stdin,
            Origin::Staged { .. } => SourceKind::Staged,
            Origin::Blob { .. } | Origin::CommitMessage { .. } | Origin::Unreachable { .. } => {
                SourceKind::Git
            }
            Origin::Member { parent, .. } => parent.kind(),
        }
    }

    /// The scanned root (or repository) it belongs to, as reports name it.
    pub fn repo(&self) -> Option<&Arc<str>> {
        match self {
            Origin::File { repo, .. } | Origin::Staged { repo, .. } => repo.as_ref(),
            Origin::Stdin => None,
            Origin::Blob { repo, .. }
            | Origin::CommitMessage { repo, .. }
            | Origin::Unreachable { repo, .. } => Some(repo),
            Origin::Member { parent, .. } => parent.repo(),
        }
    }

    /// Its path, as reports name it (relative to its root).
    pub fn path(&self) -> &str {
        match self {
            Origin::Stdin => STDIN_PATH,
            Origin::File { path, .. }
            | Origin::Staged { path, .. }
            | Origin::Blob { path, .. }
            | Origin::CommitMessage { path, .. }
            | Origin::Unreachable { path, .. }
            | Origin::Member { path, .. } => path,
        }
    }

    /// The (root, path) pair that identifies its file.
    pub fn file_key(&self) -> (Option<Arc<str>>, Arc<str>) {
        let path = match self {
            Origin::Stdin => Arc::from(STDIN_PATH),
            Origin::File { path, .. }
            | Origin::Staged { path, .. }
            | Origin::Blob { path, .. }
            | Origin::CommitMessage { path, .. }
            | Origin::Unreachable { path, .. }
            | Origin::Member { path, .. } => path.clone(),
        };
        (self.repo().cloned(), path)
    }

    /// The commit that introduced it, for git places.
    pub fn commit(&self) -> Option<&Commit> {
        match self {
            Origin::Blob { commit, .. } | Origin::CommitMessage { commit, .. } => Some(commit),
            Origin::Member { parent, .. } => parent.commit(),
            _ => None,
        }
    }

    /// Whether HEAD (or the work tree) holds it; unknown for standard input.
    pub fn present_at_head(&self) -> Option<bool> {
        match self {
            Origin::File { .. } | Origin::Staged { .. } => Some(true),
            Origin::Stdin => None,
            Origin::Blob {
                present_at_head, ..
            } => Some(*present_at_head),
            // A message is no file content: HEAD neither holds nor dropped it.
            Origin::CommitMessage { .. } => None,
            Origin::Unreachable { .. } => Some(false),
            Origin::Member { parent, .. } => parent.present_at_head(),
        }
    }

    /// When the blob was last removed from a path (unix seconds).
    pub fn removed_at(&self) -> Option<i64> {
        match self {
            Origin::Blob { removed_at, .. } => *removed_at,
            Origin::Member { parent, .. } => parent.removed_at(),
            _ => None,
        }
    }

    /// What git object it is, as reports name it: `blob <id>`,
    /// `commit-message`, `dangling-blob`; none outside git.
    pub fn object(&self) -> Option<String> {
        match self {
            Origin::Blob { id, .. } => Some(format!("blob {id}")),
            Origin::CommitMessage { .. } => Some("commit-message".into()),
            Origin::Unreachable { .. } => Some("dangling-blob".into()),
            Origin::Member { parent, .. } => parent.object(),
            _ => None,
        }
    }

    /// A commit message, not file content.
    pub fn is_commit_message(&self) -> bool {
        match self {
            Origin::CommitMessage { .. } => true,
            Origin::Member { parent, .. } => parent.is_commit_message(),
            _ => false,
        }
    }
}

/// All places one piece of content lives at.
#[derive(Debug, Clone)]
pub struct Site {
    pub places: Vec<Origin>,
}

impl Site {
    pub fn single(place: Origin) -> Site {
        Site {
            places: vec![place],
        }
    }
}
