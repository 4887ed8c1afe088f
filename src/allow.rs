//! What the configs of a run allow, applied to findings root by root: a
//! scanned root's `.keysprawl.toml` suppresses locations in that root only,
//! and a rule a repository's config added reports locations in that root
//! only; and what a baseline report (which the user names) accepted,
//! [`Suppressions`]. Both run right after grouping, before anything is
//! computed from the locations.

use std::collections::HashSet;

use serde::Deserialize;

use crate::config::Config;
use crate::error::Error;
use crate::findings::{Finding, legacy_fingerprint, settle};
use crate::ignorefile::{Entry, Located};
use crate::matcher::Matcher;
use crate::rules::Trust;

/// Drop from `f` the locations and file counts of the places `gone` names
/// (by repo and path), and recount what follows from them; returns how many
/// locations (listed or not) were dropped.
fn drop_places(f: &mut Finding, gone: impl Fn(&Option<String>, &str) -> bool) -> usize {
    let total: usize = f.paths.iter().map(|p| p.count).sum();
    let before = f.locations.len();
    f.locations.retain(|l| !gone(&l.repo, &l.path));
    f.paths.retain(|p| !gone(&p.repo, &p.path));
    let after: usize = f.paths.iter().map(|p| p.count).sum();
    if f.locations.len() != before || after != total {
        settle(f);
    }
    total - after
}

struct Scoped {
    /// The root (as locations name it) this applies to; `None`: all.
    scope: Option<String>,
    paths: Option<globset::GlobSet>,
    path_regexes: Option<regex::RegexSet>,
    secrets: Option<regex::RegexSet>,
    disabled: HashSet<String>,
    /// The root's `.keysprawlignore` / `.gitleaksignore` entries, with
    /// their path globs compiled.
    ignores: Vec<(Located, Option<globset::GlobMatcher>)>,
}

impl Scoped {
    fn covers(&self, repo: &Option<String>) -> bool {
        self.scope.is_none() || repo.as_deref() == self.scope.as_deref()
    }
}

/// The allowlists of every config of a run.
#[derive(Default)]
pub struct Allowlists {
    scoped: Vec<Scoped>,
}

impl Allowlists {
    /// Compile each config's allowlists; a disabled id that no loaded rule
    /// has is an error (a typo must not pass silently).
    pub fn new(configs: &[Config], matcher: &Matcher) -> Result<Allowlists, Error> {
        let known: HashSet<&str> = (0..matcher.rule_count())
            .map(|i| matcher.rule(i).spec.id.as_str())
            .collect();
        let mut scoped = Vec::new();
        for cfg in configs {
            let file = cfg.origin_label();
            let paths = cfg.compiled.paths.clone();
            let secrets = cfg.compiled.secrets.clone();
            // A config governing every root had its `disable` applied to the
            // rule set itself; a scoped one is applied here.
            let mut disabled = HashSet::new();
            if cfg.scope.is_some() {
                for id in &cfg.rules.disable {
                    if !known.contains(id.as_str()) {
                        return Err(Error::Config {
                            file: file.clone(),
                            message: format!(
                                "cannot disable unknown rule id `{id}` (see `keysprawl rules list`)"
                            ),
                        });
                    }
                    disabled.insert(id.clone());
                }
            }
            let ignores = cfg
                .ignores
                .iter()
                .map(|l| {
                    let glob = match &l.entry {
                        Entry::Fingerprint { path: Some(p), .. } => {
                            globset::Glob::new(p).ok().map(|g| g.compile_matcher())
                        }
                        _ => None,
                    };
                    (l.clone(), glob)
                })
                .collect();
            scoped.push(Scoped {
                scope: cfg.scope.clone(),
                paths,
                path_regexes: cfg.compiled.path_regexes.clone(),
                secrets,
                disabled,
                ignores,
            });
        }
        Ok(Allowlists { scoped })
    }

    /// Drop the locations the configs allow, and the locations a repository
    /// rule found outside its own root; then the findings left with none.
    /// Returns how many locations were dropped by allowlists.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        let mut dropped = 0;
        findings.retain_mut(|f| {
            let rule = f.rule_spec.clone();
            let own_scope = match &rule.trust {
                Trust::Repository { scope: Some(s) } => Some(s.clone()),
                _ => None,
            };
            let secret_allowed: Vec<bool> = self
                .scoped
                .iter()
                .map(|s| {
                    s.disabled.contains(&rule.spec.id)
                        || s.secrets.as_ref().is_some_and(|re| re.is_match(&f.raw))
                })
                .collect();
            // Never its to report: a repository rule outside its own root.
            let foreign = |repo: &Option<String>| {
                own_scope.as_ref().is_some_and(|s| repo.as_ref() != Some(s))
            };
            let allowed = |repo: &Option<String>, path: &str| {
                self.scoped.iter().zip(&secret_allowed).any(|(s, &all)| {
                    s.covers(repo)
                        && (all
                            || s.paths.as_ref().is_some_and(|g| {
                                // A member is allowed with its archive
                                // (`vendor/*.jar` covers `vendor/a.jar!x.env`).
                                g.is_match(path)
                                    || path.match_indices('!').any(|(i, _)| g.is_match(&path[..i]))
                            })
                            || s.path_regexes.as_ref().is_some_and(|r| r.is_match(path)))
                })
            };
            let foreign_count: usize = f
                .paths
                .iter()
                .filter(|p| foreign(&p.repo))
                .map(|p| p.count)
                .sum();
            // Locations outside a repository rule's root are not counted as
            // suppressed: they were never its to report.
            dropped +=
                drop_places(f, |repo, path| foreign(repo) || allowed(repo, path)) - foreign_count;
            !f.paths.is_empty()
        });
        dropped
    }

    /// Drop the locations the roots' ignore files name (`.keysprawlignore`
    /// by fingerprint, optionally under a path; `.gitleaksignore` by file
    /// and line, and commit for history). Returns how many locations were
    /// dropped, and a note for every entry that matched nothing (an entry
    /// left behind after its secret was removed, or mistyped).
    pub fn apply_ignores(&self, findings: &mut Vec<Finding>) -> (usize, Vec<String>) {
        let total_entries: usize = self.scoped.iter().map(|s| s.ignores.len()).sum();
        if total_entries == 0 {
            return (0, Vec::new());
        }
        let mut used: Vec<Vec<bool>> = self
            .scoped
            .iter()
            .map(|s| vec![false; s.ignores.len()])
            .collect();
        let wants_legacy = self.scoped.iter().any(|s| {
            s.ignores.iter().any(
                |(l, _)| matches!(&l.entry, Entry::Fingerprint { fingerprint, .. } if fingerprint.len() == 64),
            )
        });
        let mut dropped = 0;
        findings.retain_mut(|f| {
            let legacy = if wants_legacy {
                legacy_fingerprint(f.raw.as_bytes())
            } else {
                String::new()
            };
            // Whole paths (fingerprint entries) and single lines (gitleaks).
            let mut gone_paths: Vec<(Option<String>, String)> = Vec::new();
            for (si, s) in self.scoped.iter().enumerate() {
                for (ei, (l, glob)) in s.ignores.iter().enumerate() {
                    let Entry::Fingerprint { fingerprint, .. } = &l.entry else {
                        continue;
                    };
                    // The full fingerprint, the 16 digits the text report
                    // shows, or the SHA-256 an older report printed.
                    if !f.fingerprint.starts_with(fingerprint.as_str()) && *fingerprint != legacy {
                        continue;
                    }
                    for p in &f.paths {
                        if s.covers(&p.repo) && glob.as_ref().is_none_or(|g| g.is_match(&p.path)) {
                            used[si][ei] = true;
                            gone_paths.push((p.repo.clone(), p.path.clone()));
                        }
                    }
                }
            }
            let mut gone = drop_places(f, |repo, path| {
                gone_paths.iter().any(|(r, p)| r == repo && p == path)
            });
            // gitleaks entries name a line: drop that location, and count
            // it off its path.
            let total: usize = f.paths.iter().map(|p| p.count).sum();
            let before = f.locations.len();
            let mut removed_lines: Vec<(Option<String>, String)> = Vec::new();
            f.locations.retain(|loc| {
                for (si, s) in self.scoped.iter().enumerate() {
                    if !s.covers(&loc.repo) {
                        continue;
                    }
                    for (ei, (l, _)) in s.ignores.iter().enumerate() {
                        let Entry::Gitleaks { commit, file, line } = &l.entry else {
                            continue;
                        };
                        let same_commit = match (commit, &loc.commit) {
                            (None, _) => true,
                            (Some(c), Some(lc)) => lc.eq_ignore_ascii_case(c),
                            (Some(_), None) => false,
                        };
                        if *file == loc.path && *line == loc.line && same_commit {
                            used[si][ei] = true;
                            removed_lines.push((loc.repo.clone(), loc.path.clone()));
                            return false;
                        }
                    }
                }
                true
            });
            for (repo, path) in removed_lines {
                if let Some(p) = f
                    .paths
                    .iter_mut()
                    .find(|p| p.repo == repo && p.path == path)
                {
                    p.count = p.count.saturating_sub(1);
                }
            }
            f.paths.retain(|p| p.count > 0);
            let after: usize = f.paths.iter().map(|p| p.count).sum();
            gone += total - after;
            if f.locations.len() != before {
                settle(f);
            }
            dropped += gone;
            !f.paths.is_empty()
        });
        let mut notes = Vec::new();
        for (s, used) in self.scoped.iter().zip(used) {
            for ((l, _), used) in s.ignores.iter().zip(used) {
                if !used {
                    notes.push(format!(
                        "{}: this ignore entry matched no finding (its secret may be gone: \
                         remove the entry)",
                        l.origin
                    ));
                }
            }
        }
        (dropped, notes)
    }
}

/// Drop locations (and then findings) a baseline report accepted. (The
/// configs' allowlists, which apply root by root, are [`crate::allow`].)
pub struct Suppressions {
    /// (fingerprint, path) pairs from a baseline report.
    baseline: HashSet<(String, String)>,
}

/// What a baseline needs of one finding of a gitleaks JSON report.
#[derive(Deserialize)]
struct GitleaksFinding {
    #[serde(rename = "Secret")]
    secret: String,
    #[serde(rename = "File")]
    file: String,
}

impl Suppressions {
    pub fn new() -> Suppressions {
        Suppressions {
            baseline: HashSet::new(),
        }
    }

    /// Load the (fingerprint, path) pairs of an earlier JSON report.
    pub fn load_baseline(&mut self, path: &std::path::Path) -> Result<(), Error> {
        // Only a regular file under the cap: never a FIFO, device or /proc file.
        let text = crate::safe_io::read_text(
            path,
            crate::safe_io::Kind::Baseline,
            crate::safe_io::MAX_CONTROL_FILE,
        )?;
        self.load_baseline_text(&text, &crate::safe_io::shown(path))
    }

    /// [`Suppressions::load_baseline`] on a report's text; `origin` names it
    /// in errors. The text is a v1 JSON report ([`crate::report::v1`]); a
    /// report that does not read as one (a hand-made list, or one written
    /// before the contract had all its fields) is still accepted when its
    /// findings have a `fingerprint` and `locations` with a `path`.
    pub fn load_baseline_text(&mut self, text: &str, origin: &str) -> Result<(), Error> {
        /// What a baseline needs of an older or partial report.
        #[derive(Deserialize)]
        struct OldLocation {
            path: String,
        }
        #[derive(Deserialize)]
        struct OldFinding {
            fingerprint: String,
            #[serde(default)]
            locations: Vec<OldLocation>,
            #[serde(default)]
            omitted_paths: Vec<String>,
        }
        #[derive(Deserialize)]
        struct OldReport {
            findings: Vec<OldFinding>,
        }
        let pairs: Vec<(String, Vec<String>)> =
            match serde_json::from_str::<crate::report::v1::V1Report>(text) {
                Ok(report) => report
                    .findings
                    .into_iter()
                    .map(|f| {
                        let paths = f.locations.into_iter().map(|l| l.path);
                        (f.fingerprint, paths.chain(f.omitted_paths).collect())
                    })
                    .collect(),
                // Not even the older shape: its error is the one to show (a
                // v1 error can quote a value of a mistyped field).
                Err(_) => match serde_json::from_str::<OldReport>(text) {
                    Ok(report) => report
                        .findings
                        .into_iter()
                        .map(|f| {
                            let paths = f.locations.into_iter().map(|l| l.path);
                            (f.fingerprint, paths.chain(f.omitted_paths).collect())
                        })
                        .collect(),
                    // A gitleaks JSON report (`gitleaks ... -f json`): its
                    // secrets in clear, matched by the SHA-256 keysprawl
                    // also accepts. A redacted report cannot be matched.
                    Err(source) => match serde_json::from_str::<Vec<GitleaksFinding>>(text) {
                        Ok(found) if found.iter().any(|f| f.secret != "REDACTED") => found
                            .into_iter()
                            .filter(|f| f.secret != "REDACTED" && !f.secret.is_empty())
                            .map(|f| {
                                let path = f.file.trim_start_matches("./").to_string();
                                (legacy_fingerprint(f.secret.as_bytes()), vec![path])
                            })
                            .collect(),
                        _ => {
                            return Err(Error::Baseline {
                                file: origin.to_string(),
                                source,
                            });
                        }
                    },
                },
            };
        for (fingerprint, paths) in pairs {
            for p in paths {
                self.baseline.insert((fingerprint.clone(), p));
            }
        }
        Ok(())
    }

    /// Apply to `findings`; returns how many locations were suppressed
    /// (listed or not). A baseline entry matches a finding by its current
    /// fingerprint or by the SHA-256 an older keysprawl printed.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        let mut dropped = 0;
        findings.retain_mut(|f| {
            let legacy = if self.baseline.is_empty() {
                String::new()
            } else {
                legacy_fingerprint(f.raw.as_bytes())
            };
            let fp = f.fingerprint.clone();
            let suppressed = |path: &str| {
                let key = |fp: &str| (fp.to_string(), path.to_string());
                self.baseline.contains(&key(&fp))
                    || (!legacy.is_empty() && self.baseline.contains(&key(&legacy)))
            };
            dropped += drop_places(f, |_, path| suppressed(path));
            !f.paths.is_empty()
        });
        dropped
    }
}

impl Default for Suppressions {
    fn default() -> Self {
        Suppressions::new()
    }
}
