//! Findings: hits grouped by (rule, secret value), one finding per credential
//! with every location it was seen at. The fingerprint hashes the secret
//! itself, so a baseline survives code moving around.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::matcher::Matcher;
use crate::rules::Severity;
use crate::scan::Collected;
use crate::sources::{Place, SourceKind};

/// SHA-256 hex of the secret value.
pub fn fingerprint(secret: &[u8]) -> String {
    hex::encode(Sha256::digest(secret))
}

/// A secret as it may be shown: a few characters at each end of long
/// secrets, nothing of short ones, never a line break.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = (chars.len() / 8).min(4);
    let hidden = chars.len() - 2 * keep;
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    let head = head.replace(['\n', '\r'], " ");
    let tail = tail.replace(['\n', '\r'], " ");
    format!("{head}{}{tail}", "*".repeat(hidden.clamp(1, 32)))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRef {
    pub id: String,
    pub name: String,
    pub provider: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
}

/// Outcome of a liveness check (issue #5 fills it; `not_checked` until then).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Validation {
    pub status: ValidationStatus,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overprivileged: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationStatus {
    Live,
    Revoked,
    Unknown,
    Error,
    NotChecked,
}

impl Default for Validation {
    fn default() -> Self {
        Validation {
            status: ValidationStatus::NotChecked,
            detail: "validation not requested".into(),
            identity: None,
            permissions: Vec::new(),
            overprivileged: false,
        }
    }
}

/// How long the credential lives (issue #6 refines what the rule says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifetime {
    Static,
    Ephemeral,
    Expired,
    Unknown,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    pub lifetime: Lifetime,
    pub expires_at: Option<String>,
    pub first_seen: Option<String>,
    pub exposure_days: Option<i64>,
    /// Latest date a commit introduced it (history scans).
    #[serde(default)]
    pub last_seen: Option<String>,
    /// Still present at HEAD / in the work tree somewhere.
    #[serde(default)]
    pub present_at_head: Option<bool>,
    /// When it was last removed from a path (if no longer at HEAD).
    #[serde(default)]
    pub removed_at: Option<String>,
    /// Removed from HEAD but validation says it still works: deleting the
    /// line did not revoke the key.
    #[serde(default)]
    pub removed_but_live: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reuse {
    pub locations: usize,
    pub files: usize,
    pub repos: usize,
    /// In two or more files or repositories.
    #[serde(default)]
    pub reused: bool,
    /// Seen in CI configuration.
    #[serde(default)]
    pub in_ci: bool,
    /// Seen in application code or config (not CI).
    #[serde(default)]
    pub in_code: bool,
}

/// One place a secret was seen, as the JSON contract names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Location {
    pub repo: Option<String>,
    pub path: String,
    pub line: u64,
    pub column: u64,
    pub source: String,
    pub commit: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub present_at_head: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The CI system, job and step, for locations in CI configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<CiLocation>,
    #[serde(skip)]
    pub timestamp: Option<i64>,
    #[serde(skip)]
    pub removed_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CiLocation {
    pub system: crate::sources::CiSystem,
    pub job: Option<String>,
    pub step: Option<String>,
}

impl Location {
    fn new(place: &Place, line: u64, column: u64) -> Location {
        Location {
            repo: place.repo.as_deref().map(str::to_string),
            path: place.path.to_string(),
            line,
            column,
            source: match place.source {
                SourceKind::File => "file",
                SourceKind::Git => "git",
                SourceKind::Staged => "staged",
                SourceKind::Stdin => "stdin",
            }
            .to_string(),
            commit: place.commit.clone(),
            author: place.author.clone(),
            date: place.date.clone(),
            present_at_head: place.present_at_head,
            object: place.object.clone(),
            ci: None,
            timestamp: place.timestamp,
            removed_at: place.removed_at,
        }
    }
}

/// One credential: a (rule, secret) pair with all its locations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleRef,
    pub fingerprint: String,
    pub secret: String,
    pub severity: Severity,
    pub validation: Validation,
    pub credential: Credential,
    pub reuse: Reuse,
    pub locations: Vec<Location>,
    /// Other parts of a multi-part credential (e.g. the AWS key id), redacted
    /// like the secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// The raw secret, kept in memory for validation and redaction; printed
    /// only with `--show-secrets` (then it is also `secret`).
    /// OWASP Non-Human Identity Top 10 (2025) ids this finding evidences.
    #[serde(default)]
    pub nhi: Vec<String>,
    /// 0–100: how urgently to fix this (live, static, old, reused, broad).
    #[serde(default)]
    pub risk: u32,
    #[serde(skip)]
    pub raw: Arc<str>,
    #[serde(skip)]
    pub raw_parts: Vec<(String, String)>,
    #[serde(skip)]
    pub rule_index: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub value: String,
}

/// Named captures that describe where a credential belongs rather than
/// being part of it: shown as they are.
const DESCRIPTIVE_PARTS: &[&str] = &[
    "encoding",
    "name",
    "host",
    "account",
    "shop",
    "dc",
    "org",
    "resource",
    "region",
    "type",
    "email",
    "client_email",
    "project_id",
    "user",
    "username",
    "login",
    "machine",
    "registry",
];

/// How findings are shown and filtered.
#[derive(Debug, Clone, Default)]
pub struct FindingOptions {
    pub show_secrets: bool,
}

/// Group hits into findings, one per (rule, secret), in first-seen order
/// (the analysis stage orders them by risk).
pub fn group(collected: &Collected, matcher: &Matcher, opts: &FindingOptions) -> Vec<Finding> {
    let mut by_key: HashMap<(usize, &[u8]), usize> = HashMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    for hit in &collected.hits {
        let c = &hit.content;
        let key = (c.rule, c.secret.as_slice());
        let idx = *by_key.entry(key).or_insert_with(|| {
            let spec = &matcher.rule(c.rule).spec;
            let raw: Arc<str> = Arc::from(String::from_utf8_lossy(&c.secret).as_ref());
            findings.push(Finding {
                rule: RuleRef {
                    id: spec.id.clone(),
                    name: spec.name.clone(),
                    provider: spec.provider.clone(),
                    description: spec.description.clone(),
                    revoke: spec.revoke.clone(),
                },
                fingerprint: fingerprint(&c.secret),
                secret: if opts.show_secrets {
                    raw.to_string()
                } else {
                    redact(&raw)
                },
                severity: spec.severity,
                validation: Validation::default(),
                credential: Credential {
                    lifetime: Lifetime::Unknown,
                    expires_at: None,
                    first_seen: None,
                    exposure_days: None,
                    last_seen: None,
                    present_at_head: None,
                    removed_at: None,
                    removed_but_live: false,
                },
                reuse: Reuse::default(),
                locations: Vec::new(),
                parts: Vec::new(),
                nhi: Vec::new(),
                risk: 0,
                raw,
                raw_parts: Vec::new(),
                rule_index: c.rule,
            });
            findings.len() - 1
        });
        let f = &mut findings[idx];
        for (name, value) in &c.parts {
            if !f.raw_parts.iter().any(|(n, v)| n == name && v == value) {
                f.raw_parts.push((name.clone(), value.clone()));
                f.parts.push(Part {
                    name: name.clone(),
                    value: if opts.show_secrets || DESCRIPTIVE_PARTS.contains(&name.as_str()) {
                        value.clone()
                    } else {
                        redact(value)
                    },
                });
            }
        }
        for place in &collected.sites[hit.site].places {
            f.locations.push(Location::new(place, c.line, c.column));
        }
    }
    for f in &mut findings {
        f.locations.sort_by(|a, b| {
            (&a.repo, &a.path, a.line, a.column, &a.commit)
                .cmp(&(&b.repo, &b.path, b.line, b.column, &b.commit))
        });
        f.locations.dedup_by(|a, b| {
            a.repo == b.repo
                && a.path == b.path
                && a.line == b.line
                && a.column == b.column
                && a.commit == b.commit
        });
        // A work-tree file and the HEAD blob it matches are one place: keep
        // the git location, which says more (commit, author, date).
        let at_head: BTreeSet<(Option<String>, String, u64, u64)> = f
            .locations
            .iter()
            .filter(|l| l.source == "git" && l.present_at_head == Some(true))
            .map(|l| (l.repo.clone(), l.path.clone(), l.line, l.column))
            .collect();
        f.locations.retain(|l| {
            l.source != "file"
                || !at_head.contains(&(l.repo.clone(), l.path.clone(), l.line, l.column))
        });
        f.reuse = reuse_of(&f.locations);
    }
    findings
}

/// Count distinct locations, files and repos.
pub fn reuse_of(locations: &[Location]) -> Reuse {
    let files: BTreeSet<(&Option<String>, &str)> = locations
        .iter()
        .map(|l| (&l.repo, l.path.as_str()))
        .collect();
    let repos: BTreeSet<&Option<String>> = locations.iter().map(|l| &l.repo).collect();
    let repos = repos.iter().filter(|r| r.is_some()).count().max(1);
    Reuse {
        locations: locations.len(),
        files: files.len(),
        repos,
        reused: files.len() >= 2 || repos >= 2,
        in_ci: locations.iter().any(|l| l.ci.is_some()),
        in_code: locations
            .iter()
            .any(|l| l.ci.is_none() && l.object.as_deref() != Some("commit-message")),
    }
}

/// Drop locations (and then findings) the user has accepted.
pub struct Suppressions {
    /// (fingerprint, path) pairs from a baseline report.
    baseline: HashSet<(String, String)>,
    allow_paths: Option<globset::GlobSet>,
    allow_secrets: Vec<regex::Regex>,
}

impl Suppressions {
    pub fn new() -> Suppressions {
        Suppressions {
            baseline: HashSet::new(),
            allow_paths: None,
            allow_secrets: Vec::new(),
        }
    }

    /// Load the (fingerprint, path) pairs of an earlier JSON report.
    pub fn load_baseline(&mut self, path: &std::path::Path) -> Result<(), Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.load_baseline_text(&text, &path.display().to_string())
    }

    /// [`Suppressions::load_baseline`] on a report's text; `origin` names it
    /// in errors.
    pub fn load_baseline_text(&mut self, text: &str, origin: &str) -> Result<(), Error> {
        #[derive(Deserialize)]
        struct Loc {
            path: String,
        }
        #[derive(Deserialize)]
        struct F {
            fingerprint: String,
            #[serde(default)]
            locations: Vec<Loc>,
        }
        #[derive(Deserialize)]
        struct R {
            findings: Vec<F>,
        }
        let report: R = serde_json::from_str(text).map_err(|e| Error::Baseline {
            file: origin.to_string(),
            message: format!("not a keysprawl JSON report: {e}"),
        })?;
        for f in report.findings {
            for l in f.locations {
                self.baseline.insert((f.fingerprint.clone(), l.path));
            }
        }
        Ok(())
    }

    pub fn allow_paths(&mut self, globs: &[String], origin: &str) -> Result<(), Error> {
        let mut b = globset::GlobSetBuilder::new();
        for g in globs {
            let glob = globset::GlobBuilder::new(g)
                .literal_separator(false)
                .build()
                .map_err(|e| Error::Config {
                    file: origin.to_string(),
                    message: format!("allow path `{g}`: {e}"),
                })?;
            b.add(glob);
        }
        self.allow_paths = Some(b.build().map_err(|e| Error::Config {
            file: origin.to_string(),
            message: e.to_string(),
        })?);
        Ok(())
    }

    pub fn allow_secrets(&mut self, patterns: &[String], origin: &str) -> Result<(), Error> {
        for p in patterns {
            self.allow_secrets
                .push(regex::Regex::new(p).map_err(|e| Error::Config {
                    file: origin.to_string(),
                    message: format!("allow secret regex: {e}"),
                })?);
        }
        Ok(())
    }

    /// Apply to `findings`; returns how many locations were suppressed.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        let mut dropped = 0;
        findings.retain_mut(|f| {
            if self.allow_secrets.iter().any(|re| re.is_match(&f.raw)) {
                dropped += f.locations.len();
                return false;
            }
            let before = f.locations.len();
            f.locations.retain(|l| {
                let baselined = self
                    .baseline
                    .contains(&(f.fingerprint.clone(), l.path.clone()));
                let allowed = self
                    .allow_paths
                    .as_ref()
                    .is_some_and(|g| g.is_match(&l.path));
                !(baselined || allowed)
            });
            dropped += before - f.locations.len();
            if f.locations.len() != before {
                f.reuse = reuse_of(&f.locations);
            }
            !f.locations.is_empty()
        });
        dropped
    }
}

impl Default for Suppressions {
    fn default() -> Self {
        Suppressions::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_most_of_the_secret() {
        let r = redact("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");
        assert!(r.starts_with("ghp_"));
        assert!(r.ends_with("4xXH"));
        assert!(!r.contains("Pde0"));
        assert_eq!(redact("hunter2"), "*******");
        assert!(!redact("a\nb\ncdefghijklmnopq").contains('\n'));
    }

    #[test]
    fn fingerprint_is_sha256_of_the_secret() {
        assert_eq!(
            fingerprint(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
