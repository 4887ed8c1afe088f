//! Ignore files at the top of a scanned root: keysprawl's `.keysprawlignore`
//! (fingerprints, each with an optional path and reason) and gitleaks'
//! `.gitleaksignore` (its `[commit:]file:rule:line` fingerprints), so a
//! repository moving from gitleaks keeps what it accepted. Like the root's
//! `.keysprawl.toml`, they apply in that root only, and in a gated change
//! (`--staged`, `--range`) they are read from the base revision.
//!
//! `.keysprawlignore`, one entry per line:
//!
//! ```text
//! # fingerprint       [path glob]         [# reason]
//! 2bd192a8cc722c58                        # test key of the CI fixtures, revoked 2024-05
//! 33d97b210b054251    tests/fixtures/**   # fake password of a test fixture
//! ```
//!
//! A fingerprint is a finding's `fingerprint` in the JSON report (64 hex
//! digits), or its first 16 digits as the text report shows them, or the
//! SHA-256 an older report printed. It follows the secret, not its line, so
//! code that moves stays ignored.

use crate::error::Error;

pub const KEYSPRAWL_IGNORE: &str = ".keysprawlignore";
pub const GITLEAKS_IGNORE: &str = ".gitleaksignore";

/// One entry of an ignore file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A finding's fingerprint, anywhere or under a path glob.
    Fingerprint {
        fingerprint: String,
        path: Option<String>,
        reason: Option<String>,
    },
    /// A gitleaks fingerprint: a finding at this line of this file (of this
    /// commit, for a history finding), whatever the rule.
    Gitleaks {
        commit: Option<String>,
        file: String,
        line: u64,
    },
}

/// An entry and where it was written (`.keysprawlignore:3`), for the note
/// that reports an entry nothing matched.
#[derive(Debug, Clone)]
pub struct Located {
    pub entry: Entry,
    pub origin: String,
}

fn is_fingerprint(s: &str) -> bool {
    matches!(s.len(), 16 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Parse a `.keysprawlignore`; `origin` names it in errors. A line that is
/// not an entry is an error naming the line: a typo must not silently
/// ignore nothing (or everything).
pub fn parse_keysprawl(text: &str, origin: &str) -> Result<Vec<Located>, Error> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let (body, reason) = match raw.split_once('#') {
            Some((b, r)) => (b, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
            None => (raw, None),
        };
        let mut words = body.split_whitespace();
        let Some(fingerprint) = words.next() else {
            continue;
        };
        let at = format!("{origin}:{}", i + 1);
        if !is_fingerprint(fingerprint) {
            return Err(Error::Config {
                file: at,
                message: format!(
                    "`{}` is not a fingerprint (64 hex digits as the JSON report's \
                     `fingerprint` prints it, or its first 16 as the text report shows them)",
                    crate::safe_io::escape(&fingerprint.chars().take(80).collect::<String>())
                ),
            });
        }
        let path = words.next().map(str::to_string);
        if let Some(extra) = words.next() {
            return Err(Error::Config {
                file: at,
                message: format!(
                    "unexpected `{}` after the path (a reason goes after `#`)",
                    crate::safe_io::escape(&extra.chars().take(80).collect::<String>())
                ),
            });
        }
        if let Some(p) = &path {
            globset::Glob::new(p).map_err(|e| Error::Config {
                file: at.clone(),
                message: format!("path `{}`: {e}", crate::safe_io::escape(p)),
            })?;
        }
        out.push(Located {
            entry: Entry::Fingerprint {
                fingerprint: fingerprint.to_ascii_lowercase(),
                path,
                reason,
            },
            origin: at,
        });
    }
    Ok(out)
}

/// Parse a `.gitleaksignore`: `file:rule:line` or `commit:file:rule:line`
/// per line, `#` comments. A line of another shape is skipped with a note
/// (gitleaks itself ignores what it cannot use).
pub fn parse_gitleaks(text: &str, origin: &str) -> (Vec<Located>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{origin}:{}", i + 1);
        match parse_gitleaks_line(line) {
            Some(entry) => out.push(Located { entry, origin: at }),
            None => notes.push(format!(
                "{at}: not a gitleaks fingerprint (`[commit:]file:rule:line`), skipped"
            )),
        }
    }
    (out, notes)
}

fn parse_gitleaks_line(line: &str) -> Option<Entry> {
    // From the right: the line number and the rule id never hold `:`; a
    // file name may.
    let (rest, number) = line.rsplit_once(':')?;
    let number: u64 = number.parse().ok()?;
    let (rest, _rule) = rest.rsplit_once(':')?;
    let (commit, file) = match rest.split_once(':') {
        Some((c, f)) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (Some(c.to_ascii_lowercase()), f)
        }
        _ => (None, rest),
    };
    (!file.is_empty()).then(|| Entry::Gitleaks {
        commit,
        file: file.trim_start_matches("./").to_string(),
        line: number,
    })
}

/// The text `keysprawl ignore` appends for one entry.
pub fn format_entry(fingerprint: &str, path: Option<&str>, reason: Option<&str>) -> String {
    let mut line = fingerprint.to_ascii_lowercase();
    if let Some(p) = path {
        line.push_str("  ");
        line.push_str(p);
    }
    if let Some(r) = reason {
        line.push_str("  # ");
        // One line per entry: a reason cannot start another.
        line.push_str(&r.replace(['\n', '\r'], " "));
    }
    line.push('\n');
    line
}

/// Check a fingerprint given on the command line.
pub fn check_fingerprint(s: &str) -> Result<(), Error> {
    if is_fingerprint(s) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{}` is not a fingerprint: 64 hex digits as the JSON report's `fingerprint` prints \
             it (`keysprawl scan . -f json | jq -r '.findings[].fingerprint'`), or the 16 the \
             text report shows",
            crate::safe_io::escape(&s.chars().take(80).collect::<String>())
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keysprawl_entries_take_a_path_and_a_reason() {
        let text = "# accepted\n\n2bd192a8cc722c58\n33D97B210B054251  tests/**  # fixture, fake\n";
        let got = parse_keysprawl(text, ".keysprawlignore").expect("parses");
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[1].entry,
            Entry::Fingerprint {
                fingerprint: "33d97b210b054251".into(),
                path: Some("tests/**".into()),
                reason: Some("fixture, fake".into()),
            }
        );
        assert_eq!(got[1].origin, ".keysprawlignore:4");
    }

    #[test]
    fn a_line_that_is_not_an_entry_is_an_error_naming_it() {
        for bad in [
            "ghp_notafingerprint",
            "2bd192a8cc722c58 a b",
            "2bd192a8cc722c58 [z",
        ] {
            let err = parse_keysprawl(&format!("\n{bad}\n"), "x/.keysprawlignore")
                .expect_err(bad)
                .to_string();
            assert!(err.contains("x/.keysprawlignore:2"), "{err}");
        }
    }

    #[test]
    fn gitleaks_fingerprints_with_and_without_a_commit() {
        let commit = "cd5226711335c68be1e720b318b7bc3135a30eb2";
        let text = format!(
            "{commit}:cmd/config/rules/a.go:sidekiq-secret:23\n./src/.env:generic-api-key:4\n\
             # comment\nnonsense\nC:\\dir\\f.txt:aws:7\n"
        );
        let (got, notes) = parse_gitleaks(&text, ".gitleaksignore");
        let entries: Vec<Entry> = got.into_iter().map(|l| l.entry).collect();
        assert_eq!(
            entries,
            [
                Entry::Gitleaks {
                    commit: Some(commit.into()),
                    file: "cmd/config/rules/a.go".into(),
                    line: 23
                },
                Entry::Gitleaks {
                    commit: None,
                    file: "src/.env".into(),
                    line: 4
                },
                Entry::Gitleaks {
                    commit: None,
                    file: "C:\\dir\\f.txt".into(),
                    line: 7
                },
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn a_reason_cannot_start_a_new_entry() {
        let line = format_entry("2BD192A8CC722C58", None, Some("a\n33d97b210b054251"));
        assert_eq!(line, "2bd192a8cc722c58  # a 33d97b210b054251\n");
        assert_eq!(
            parse_keysprawl(&line, "f").expect("parses").len(),
            1,
            "the reason stays a comment"
        );
    }
}
