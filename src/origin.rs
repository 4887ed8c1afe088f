//! Where content comes from: the place a piece of content lives (a file, a
//! blob at the commits that introduced it, standard input), how such places
//! are named to people, and which CI system a path configures. Every stage
//! after the sources reads these types; none of them needs the sources.

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
    /// Unix seconds of the latest commit that removed this content from a path.
    pub removed_at: Option<i64>,
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
            removed_at: None,
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
