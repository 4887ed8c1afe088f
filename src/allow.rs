//! What the configs of a run allow, applied to findings root by root: a
//! scanned root's `.keysprawl.toml` suppresses locations in that root only,
//! and a rule a repository's config added reports locations in that root
//! only. (The baseline, which the user names, is [`crate::findings::Suppressions`].)

use std::collections::HashSet;

use crate::config::Config;
use crate::error::Error;
use crate::findings::{Finding, settle};
use crate::matcher::Matcher;
use crate::rules::Trust;

struct Scoped {
    /// The root (as locations name it) this applies to; `None`: all.
    scope: Option<String>,
    paths: Option<globset::GlobSet>,
    secrets: Option<regex::RegexSet>,
    disabled: HashSet<String>,
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
            scoped.push(Scoped {
                scope: cfg.scope.clone(),
                paths,
                secrets,
                disabled,
            });
        }
        Ok(Allowlists { scoped })
    }

    /// Drop the locations the configs allow, and the locations a repository
    /// rule found outside its own root; then the findings left with none.
    /// Returns how many locations were dropped by allowlists.
    pub fn apply(&self, findings: &mut Vec<Finding>, matcher: &Matcher) -> usize {
        let mut dropped = 0;
        findings.retain_mut(|f| {
            let rule = matcher.rule(f.rule_index);
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
                            }))
                })
            };
            let total: usize = f.paths.iter().map(|p| p.count).sum();
            let foreign_count: usize = f
                .paths
                .iter()
                .filter(|p| foreign(&p.repo))
                .map(|p| p.count)
                .sum();
            let before = f.locations.len();
            f.locations
                .retain(|l| !foreign(&l.repo) && !allowed(&l.repo, &l.path));
            f.paths
                .retain(|p| !foreign(&p.repo) && !allowed(&p.repo, &p.path));
            let after: usize = f.paths.iter().map(|p| p.count).sum();
            dropped += total - foreign_count - after;
            if f.locations.len() != before || after != total {
                settle(f);
            }
            !f.paths.is_empty()
        });
        dropped
    }
}
