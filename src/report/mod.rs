//! One report model, rendered by small sinks: text, json, jsonl, sarif.

mod html;
mod sarif;
mod text;
pub mod v1;

use std::io::Write;

use serde::Serialize;

use crate::analysis::Posture;
use crate::analysis::ci::CiIssue;
use crate::findings::{Finding, FingerprintKey, Lifetime, ValidationStatus};
use crate::scan::ScanError;

pub use text::TextStyle;

pub use crate::safe_io::escape;

/// Report formats. More may come (`Format::value_variants()` lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[non_exhaustive]
pub enum Format {
    /// Human report grouped by finding (coloured on a terminal).
    Text,
    /// One JSON document (the contract in README: "JSON report").
    Json,
    /// One finding object per line.
    Jsonl,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// One self-contained HTML page for audits: posture, charts, a sortable
    /// and filterable findings table, CI issues (offline, no requests).
    Html,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files_scanned: u64,
    pub blobs_scanned: u64,
    /// Commits whose changes were read (history and ranges).
    #[serde(default)]
    pub commits_scanned: u64,
    pub bytes_scanned: u64,
    pub findings: usize,
    pub live: usize,
    #[serde(rename = "static")]
    pub static_: usize,
    pub reused: usize,
    pub errors: Vec<ScanError>,
    /// Files skipped because they look binary.
    pub binary_skipped: u64,
    /// FIFOs, sockets and devices that were not opened.
    pub special_skipped: u64,
    /// Members of archives (in files or blobs, at any nesting level) that
    /// were scanned; each archive itself counts once in `files_scanned` or
    /// `blobs_scanned`, and its members' decoded bytes are in `bytes_scanned`.
    #[serde(default)]
    pub archive_members: u64,
    /// Locations dropped by the baseline or allowlists.
    pub suppressed: usize,
    /// Findings below `--min-confidence`, not reported.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub below_min_confidence: usize,
    /// Findings below `--min-severity`, not reported.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub below_min_severity: usize,
    /// Things worth knowing about the scan (e.g. a shallow repository).
    pub notes: Vec<String>,
    pub rules: usize,
    pub duration_ms: u64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The whole result of a run. Written as JSON through [`v1::V1Report`]
/// only; its own `Serialize` stays so a test can check the contract prints
/// what it printed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// The JIT view: static vs ephemeral, live, removed-but-live, reuse, CI.
    pub posture: Posture,
    /// How pipelines get their credentials (static cloud keys, shared
    /// secrets, secrets exposed to untrusted code).
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
                serde_json::to_writer_pretty(&mut *out, &v1::V1ReportRef(self))?;
                writeln!(out)
            }
            Format::Jsonl => {
                for f in &self.findings {
                    serde_json::to_writer(&mut *out, &v1::V1Finding::from(f))?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Sarif => sarif::write(self, out),
            Format::Text => text::write(self, style, out),
            Format::Html => html::write(self, out),
        }
    }
}

/// Which findings make the run fail (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[non_exhaustive]
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

/// Findings per severity, most severe first (`[critical, high, medium, low, info]`).
pub fn by_severity(findings: &[Finding]) -> [usize; 5] {
    let mut n = [0; 5];
    for f in findings {
        n[4 - f.severity as usize] += 1;
    }
    n
}

/// The one line every run prints on standard error, whatever the format and
/// wherever the report went, so a CI log always says what a run covered:
/// `keysprawl: 3 findings (critical 1, high 2, medium 0, low 0, info 0) in
/// 68 files, 0 blobs, 0 commits, 0.7 MiB; 0 errors; 45 ms`. `verdict` is
/// appended when the run failed for a reason the counts do not show (it
/// covered nothing, a stage failed).
pub fn summary_line(report: &Report, verdict: Option<&str>) -> String {
    let s = &report.summary;
    let [critical, high, medium, low, info] = by_severity(&report.findings);
    let mut line = format!(
        "keysprawl: {} finding{} (critical {critical}, high {high}, medium {medium}, low {low}, \
         info {info}) in {} files, {} blobs, {} commits, {:.1} MiB; {} error{}; {} ms",
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.files_scanned,
        s.blobs_scanned,
        s.commits_scanned,
        s.bytes_scanned as f64 / 1_048_576.0,
        s.errors.len(),
        if s.errors.len() == 1 { "" } else { "s" },
        s.duration_ms
    );
    if let Some(v) = verdict {
        line.push_str("; ");
        line.push_str(v);
    }
    line
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
