//! Typed errors of the library; the binary renders them once, with their
//! causes (`error: …` then `caused by: …` per source).
//!
//! A variant says what failed and names the file, rule or repository; the
//! cause it wraps ([`std::error::Error::source`]) says why. A TOML syntax
//! error keeps its line and column ([`TomlError`]) but never quotes the
//! line itself: a rule or config file may hold example tokens or
//! allowlisted secrets.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A rule file that parses but does not make a valid rule.
    #[error("rule file {file}{}: {message}", rule_of(rule))]
    Rule {
        file: String,
        rule: Option<String>,
        message: String,
    },
    /// A rule file that is not valid TOML (or not of the rule file's shape).
    #[error("rule file {file}{}, {}", rule_of(rule), source.at())]
    RuleSyntax {
        file: String,
        /// The rule being defined where the error is, when it can be told.
        rule: Option<String>,
        #[source]
        source: TomlError,
    },
    /// A config file that parses but says something that cannot be used.
    #[error("config {file}: {message}")]
    Config { file: String, message: String },
    /// A config file that is not valid TOML (or not of the config's shape).
    #[error("config {file}, {}", source.at())]
    ConfigSyntax {
        file: String,
        #[source]
        source: TomlError,
    },
    #[error("baseline {file}: not a keysprawl JSON report")]
    Baseline {
        file: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("git {repo}: {message}")]
    Git {
        repo: String,
        message: String,
        /// gix's error, with its own chain of causes.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
    /// The input cannot be scanned (no repository could be read, …): not
    /// a mistake in how keysprawl was called.
    #[error("{0}")]
    Input(String),
    /// keysprawl was called wrongly: a bad flag value, a refused path.
    #[error("{0}")]
    Usage(String),
}

fn rule_of(rule: &Option<String>) -> String {
    rule.as_ref()
        .map(|r| format!(", rule `{r}`"))
        .unwrap_or_default()
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A config's TOML did not parse: `text` is what was parsed.
    pub fn config_syntax(file: impl Into<String>, text: &str, e: &toml::de::Error) -> Error {
        Error::ConfigSyntax {
            file: file.into(),
            source: TomlError::new(text, e),
        }
    }

    /// A rule file's TOML did not parse: `text` is what was parsed.
    pub fn rule_syntax(
        file: impl Into<String>,
        rule: Option<String>,
        text: &str,
        e: &toml::de::Error,
    ) -> Error {
        Error::RuleSyntax {
            file: file.into(),
            rule,
            source: TomlError::new(text, e),
        }
    }

    /// A git error that keeps gix's error (and its causes) as its source.
    pub fn git(
        repo: &Path,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Git {
            repo: repo.display().to_string(),
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// Is this, or any of its causes, a closed pipe on output?
    pub fn is_broken_pipe(&self) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        // Chains are short; the bound only guards against a cycle.
        for _ in 0..64 {
            let Some(e) = cause else {
                return false;
            };
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return true;
            }
            cause = e.source();
        }
        false
    }
}

/// A TOML parse error: where (1-based line and column, in characters) and
/// toml's message, without the quoted line toml's own `Display` adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl TomlError {
    pub fn new(text: &str, e: &toml::de::Error) -> TomlError {
        let (line, column) = e
            .span()
            .map_or((0, 0), |span| line_column(text, span.start));
        TomlError {
            line,
            column,
            message: e.message().trim_end().to_string(),
        }
    }

    /// `line 3, column 10` (or `position unknown`).
    fn at(&self) -> String {
        if self.line == 0 {
            "position unknown".to_string()
        } else {
            format!("line {}, column {}", self.line, self.column)
        }
    }
}

impl std::fmt::Display for TomlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TomlError {}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_error_says_line_and_column_but_not_the_line() {
        let text = "[allow]\npaths = [\"a\",\n# ghp_notreally\n";
        let e = toml::from_str::<toml::Table>(text).expect_err("unclosed array");
        let err = Error::config_syntax(".keysprawl.toml", text, &e);
        let shown = err.to_string();
        assert!(
            shown.starts_with("config .keysprawl.toml, line "),
            "{shown}"
        );
        let cause = std::error::Error::source(&err).expect("cause").to_string();
        assert!(!cause.is_empty() && !cause.contains("ghp_"), "{cause}");
        assert!(!shown.contains("ghp_"));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncdé", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé", 3), (2, 1));
        assert_eq!(line_column("ab\ncdéx", 7), (2, 4));
        // Inside a multi-byte character, or past the end: no panic.
        assert_eq!(line_column("é", 1), (1, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn a_broken_pipe_is_found_in_the_chain() {
        let e = Error::io(
            Path::new("-"),
            std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        );
        assert!(e.is_broken_pipe());
        assert!(!Error::Usage("x".into()).is_broken_pipe());
    }
}
