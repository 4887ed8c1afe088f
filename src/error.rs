//! Typed errors of the library; the binary renders them once.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("rule file {file}{}: {message}", rule.as_ref().map(|r| format!(", rule `{r}`")).unwrap_or_default())]
    Rule {
        file: String,
        rule: Option<String>,
        message: String,
    },
    #[error("config {file}: {message}")]
    Config { file: String, message: String },
    #[error("baseline {file}: {message}")]
    Baseline { file: String, message: String },
    #[error("git {repo}: {message}")]
    Git { repo: String, message: String },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
