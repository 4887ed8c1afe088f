//! One report model, rendered by small sinks: text, json, jsonl, sarif.

mod sarif;
mod text;

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::analysis::Posture;
use crate::analysis::ci::CiIssue;
use crate::findings::{Finding, FingerprintKey, Lifetime, ValidationStatus};
use crate::scan::ScanError;

pub use text::TextStyle;

/// A string from the scanned input (a path, an author, a CI job name, a
/// rule name, an HTTP answer) made safe to print: control characters (C0,
/// DEL, C1), Unicode bidi embeddings/overrides/isolates and other invisible
/// direction marks are written as escapes (`\x1b`, `\n`, `\u{202e}`), so
/// it can neither drive the terminal nor fake a line of the report.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human report grouped by finding (coloured on a terminal).
    Text,
    /// One JSON document (the contract in README: "JSON report").
    Json,
    /// One finding object per line.
    Jsonl,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub files_scanned: u64,
    pub blobs_scanned: u64,
    pub bytes_scanned: u64,
    pub findings: usize,
    pub live: usize,
    #[serde(rename = "static")]
    pub static_: usize,
    pub reused: usize,
    pub errors: Vec<ScanError>,
    /// Files skipped because they look binary.
    #[serde(default)]
    pub binary_skipped: u64,
    /// FIFOs, sockets and devices that were not opened.
    #[serde(default)]
    pub special_skipped: u64,
    /// Members of archives (in files or blobs, at any nesting level) that
    /// were scanned; each archive itself counts once in `files_scanned` or
    /// `blobs_scanned`, and its members' decoded bytes are in `bytes_scanned`.
    #[serde(default)]
    pub archive_members: u64,
    /// Locations dropped by the baseline or allowlists.
    #[serde(default)]
    pub suppressed: usize,
    /// Things worth knowing about the scan (e.g. a shallow repository).
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub rules: usize,
    #[serde(default)]
    pub duration_ms: u64,
}

/// The whole result of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// The JIT view: static vs ephemeral, live, removed-but-live, reuse, CI.
    #[serde(default)]
    pub posture: Posture,
    /// How pipelines get their credentials (static cloud keys, shared
    /// secrets, secrets exposed to untrusted code).
    #[serde(default)]
    pub ci: Vec<CiIssue>,
}

impl Report {
    pub fn new(findings: Vec<Finding>, ci: Vec<CiIssue>, mut summary: Summary) -> Report {
        let posture = crate::analysis::posture(&findings, &ci);
        summary.findings = findings.len();
        let keyed_here = findings
            .iter()
            .filter(|f| {
                matches!(
                    f.fingerprint_key,
                    FingerprintKey::Local | FingerprintKey::Run
                )
            })
            .count();
        if keyed_here > 0 {
            let whose = if findings
                .iter()
                .any(|f| f.fingerprint_key == FingerprintKey::Run)
            {
                "a key made for this run only"
            } else {
                "this user's key file"
            };
            summary.notes.push(format!(
                "{keyed_here} findings hold weak secrets whose fingerprints use {whose}: a baseline made on another machine or in another CI run will not match them; set KEYSPRAWL_FINGERPRINT_KEY (e.g. from the CI secret store) to share baselines"
            ));
        }
        summary.live = posture.live;
        summary.static_ = posture.static_;
        summary.reused = posture.reused;
        Report {
            posture,
            ci,
            version: 1,
            tool: Tool {
                name: "keysprawl".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            findings,
            summary,
        }
    }

    pub fn write(
        &self,
        format: Format,
        style: TextStyle,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, self)?;
                writeln!(out)
            }
            Format::Jsonl => {
                for f in &self.findings {
                    serde_json::to_writer(&mut *out, f)?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Sarif => sarif::write(self, out),
            Format::Text => text::write(self, style, out),
        }
    }
}

/// Which findings make the run fail (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any finding fails the run (the default).
    Any,
    /// Never fail on findings (errors still exit 2).
    None,
    /// Only secrets validation shows to be live (needs --validate).
    Live,
    /// Only long-lived (static) credentials.
    Static,
    /// Only credentials found in two or more files or repositories.
    Reused,
    /// Any finding whose check (with --validate) ended `error`: connection
    /// failed, timed out, rate limited, deadline reached. One is enough, so
    /// `--fail-on live,validation-error` never passes because validation
    /// could not run. Findings without a validator (`unknown`) do not count.
    ValidationError,
}

/// Exit code for a finished run: 1 when any finding meets any of `fail_on`.
pub fn exit_code(report: &Report, fail_on: &[FailOn]) -> i32 {
    let fails = |f: &Finding| {
        fail_on.iter().any(|p| match p {
            FailOn::Any => true,
            FailOn::None => false,
            FailOn::Live => f.validation.status == ValidationStatus::Live,
            FailOn::Static => f.credential.lifetime == Lifetime::Static,
            FailOn::Reused => f.reuse.reused,
            FailOn::ValidationError => f.validation.status == ValidationStatus::Error,
        })
    };
    if fail_on.contains(&FailOn::ValidationError) {
        let errors: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.validation.status == ValidationStatus::Error)
            .collect();
        if let Some(first) = errors.first() {
            // The detail is validation's, already scrubbed of the secret.
            eprintln!(
                "keysprawl: validation ended in error for {} of {} findings (--fail-on validation-error), e.g. {}: {}",
                errors.len(),
                report.findings.len(),
                first.rule.id,
                first.validation.detail
            );
        }
    }
    if report.findings.iter().any(fails) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_neutralises_controls_and_bidi() {
        assert_eq!(escape("plain/path.env"), "plain/path.env");
        assert_eq!(escape("a\x1b]0;x\x07b\nc"), "a\\x1b]0;x\\x07b\\nc");
        assert_eq!(escape("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(escape("\u{9b}31m\u{7f}"), "\\u{9b}31m\\x7f");
        assert_eq!(escape("naïve"), "naïve");
    }
}
