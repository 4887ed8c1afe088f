//! `.keysprawl.toml`: allowlists, disabled rules and extra rule files.
//!
//! ```toml
//! [allow]
//! paths = ["testdata/**", "docs/*.md"]   # globs on reported paths
//! secrets = ['^AKIA[0-9A-Z]{12}TEST$']   # regexes on secret values
//!
//! [rules]
//! disable = ["generic-password"]
//! extra = ["security/rules"]             # relative to this file
//! ```
//!
//! # Trust
//!
//! A config named with `--config` is the user's own and is trusted. A
//! config found inside scanned content (the *repository* config) is not:
//!
//! - each scanned root is governed by its own `.keysprawl.toml` (or none),
//!   never by another root's;
//! - when a change is gated (`--staged`, `--range A..B`) the repository
//!   config is read from the base revision (`HEAD`, `A`), never from the
//!   change under review;
//! - the files it names (`rules.extra`) must lie inside its repository, and
//!   the rules in them never validate and never replace, shadow or outrank
//!   a built-in rule ([`crate::rules::Trust::Repository`]);
//! - an allowlist that would suppress every path or every secret is an
//!   error, not a silent pass;
//! - every file is read only if it is a regular file of at most
//!   [`crate::safe_io::MAX_CONTROL_FILE`] bytes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::safe_io::{self, Kind};

pub const FILE_NAME: &str = ".keysprawl.toml";

/// Who wrote a config, and so what it may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Trust {
    /// Named with `--config`: the user's own.
    #[default]
    Explicit,
    /// Found in scanned content (a work tree or a base revision).
    Repository,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allow: Allow,
    #[serde(default)]
    pub rules: RulesConfig,
    /// The file this came from (set by the loaders).
    #[serde(skip)]
    pub origin: Option<PathBuf>,
    #[serde(skip)]
    pub trust: Trust,
    /// The scanned root this config governs, as locations name it
    /// (`None`: every location of the run).
    #[serde(skip)]
    pub scope: Option<String>,
    /// The rule files `rules.extra` names, resolved and checked.
    #[serde(skip)]
    pub extra_rules: Vec<ExtraRules>,
    /// Things the user should know about how this config was read.
    #[serde(skip)]
    pub notes: Vec<String>,
    /// `allow`, compiled once when the config is parsed (and checked).
    #[serde(skip)]
    pub compiled: CompiledAllow,
    /// Entries of the root's `.keysprawlignore` and `.gitleaksignore`.
    #[serde(skip)]
    pub ignores: Vec<crate::ignorefile::Located>,
}

/// A config's allowlists, compiled.
#[derive(Debug, Default, Clone)]
pub struct CompiledAllow {
    pub paths: Option<globset::GlobSet>,
    pub path_regexes: Option<regex::RegexSet>,
    pub secrets: Option<regex::RegexSet>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Regexes on the path (as gitleaks writes its allowlist paths; globs in
    /// `paths` are the plainer choice). What `config import-gitleaks` writes.
    #[serde(default)]
    pub path_regexes: Vec<String>,
    /// Comment markers that allow their line (`["keysprawl:allow",
    /// "gitleaks:allow"]` when unset). Honoured from a `--config` file only:
    /// one scanner reads every root, so a root's own file cannot choose them.
    #[serde(default)]
    pub markers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub extra: Vec<PathBuf>,
}

/// A rule file or directory a config adds.
#[derive(Debug, Clone)]
pub enum ExtraRules {
    /// A file or directory on disk.
    Path(PathBuf),
    /// A file read from a git revision.
    Text { origin: String, text: String },
}

/// How the scanned roots are read, which decides where their configs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Work trees and full histories: each root's own `.keysprawl.toml`.
    Tree,
    /// A change is gated: the config of this base revision (`HEAD` for
    /// `--staged`, `A` for `--range A..B`), or none when there is no base.
    Gate { base: Option<String> },
}

/// Paths that stand for "anything": an allowlist matching all of them
/// suppresses every finding, which is an error.
const CANARY_PATHS: &[&str] = &[
    "src/main.rs",
    "config/production.env",
    "deploy/k8s/secret.yaml",
    ".github/workflows/release.yml",
    "README",
    "keysprawl-canary-4d1f/q/z.txt",
];

/// Secrets of unrelated shapes: a secret allowlist matching all of them
/// suppresses every finding.
const CANARY_SECRETS: &[&str] = &[
    "ghp_Zx8Kq2LmN4pR7sT9vW1yB3dF5hJ6kA0cE2gI",
    "AKIAQ3EGRMVL2KXP7NWA", // keysprawl:allow (test fixture)
    "hunter2-Pa55word!",
    "-----BEGIN PRIVATE KEY-----\nMIIEvQ",
    "xoxb-1111-2222-Zq9",
    "zz",
];

impl Config {
    /// Parse a config's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, Error> {
        let mut cfg: Config = toml::from_str(text)
            .map_err(|e| Error::config_syntax(safe_io::shown(origin), text, &e))?;
        cfg.origin = Some(origin.to_path_buf());
        cfg.compiled = cfg.compile_allowlists()?;
        Ok(cfg)
    }

    /// The config named with `--config` (trusted; applies to every root).
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = safe_io::read_text(path, Kind::Config, safe_io::MAX_CONTROL_FILE)?;
        let mut cfg = Config::parse(&text, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        cfg.extra_rules = cfg
            .rules
            .extra
            .iter()
            .map(|p| ExtraRules::Path(base.join(p)))
            .collect();
        Ok(cfg)
    }

    /// The `.keysprawl.toml` at the top of a scanned directory, if any.
    /// It may only name files inside `root`.
    pub fn load_repository(root: &Path, scope: Option<String>) -> Result<Option<Config>, Error> {
        let path = root.join(FILE_NAME);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Ok(None);
        };
        let canonical_root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
        if meta.file_type().is_symlink() {
            let target = std::fs::canonicalize(&path).map_err(|e| Error::io(&path, e))?;
            if !target.starts_with(&canonical_root) {
                return Err(outside(&path, &target));
            }
        }
        let text = safe_io::read_text(&path, Kind::Config, safe_io::MAX_CONTROL_FILE)?;
        let mut cfg = Config::parse(&text, &path)?;
        cfg.trust = Trust::Repository;
        cfg.scope = scope;
        for p in &cfg.rules.extra {
            let joined = root.join(p);
            let resolved = std::fs::canonicalize(&joined).map_err(|e| Error::Config {
                file: safe_io::shown(&path),
                message: format!("rules.extra `{}`: {e}", safe_io::shown(p)),
            })?;
            if !resolved.starts_with(&canonical_root) {
                return Err(outside(&path, &resolved));
            }
            cfg.extra_rules.push(ExtraRules::Path(resolved));
        }
        Ok(Some(cfg))
    }

    /// The `.keysprawl.toml` of revision `rev` of the repository at `repo`:
    /// what a gated change is measured against. Rule files it names are read
    /// from the same revision.
    pub fn load_revision(
        repo: &Path,
        rev: &str,
        scope: Option<String>,
    ) -> Result<Option<Config>, Error> {
        let max = safe_io::MAX_CONTROL_FILE;
        let bytes = match crate::sources::git::read_file_at(repo, rev, FILE_NAME, max) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(None),
            // No base to read (a first commit's unborn HEAD) or a config
            // too large to read: no allowlist applies, which only ever
            // reports more. Say so.
            Err(e) => {
                return Ok(Some(Config {
                    trust: Trust::Repository,
                    scope,
                    notes: vec![format!(
                        "no repository config applies: {FILE_NAME} of `{rev}` could not be read ({e})"
                    )],
                    ..Config::default()
                }));
            }
        };
        let origin = PathBuf::from(format!("{rev}:{FILE_NAME}"));
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            file: safe_io::shown(&origin),
            message: "not UTF-8 text".into(),
        })?;
        let mut cfg = Config::parse(&text, &origin)?;
        cfg.trust = Trust::Repository;
        cfg.scope = scope;
        for p in &cfg.rules.extra {
            let rel = normalise_relative(p).ok_or_else(|| outside(&origin, p))?;
            match crate::sources::git::read_file_at(repo, rev, &rel, max)? {
                Some(bytes) => cfg.extra_rules.push(ExtraRules::Text {
                    origin: format!("{rev}:{rel}"),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                }),
                None => cfg.notes.push(format!(
                    "{}: rules.extra `{rel}` is not a file in {rev}; a directory of rules is read \
                     only from a work tree (name it with --rules to use it here)",
                    safe_io::shown(&origin)
                )),
            }
        }
        Ok(Some(cfg))
    }

    pub fn origin_label(&self) -> String {
        self.origin
            .as_ref()
            .map_or_else(|| FILE_NAME.to_string(), |p| safe_io::shown(p))
    }

    /// `allow.paths` compiled (`None` when empty).
    fn allow_path_set(&self) -> Result<Option<globset::GlobSet>, Error> {
        if self.allow.paths.is_empty() {
            return Ok(None);
        }
        let file = self.origin_label();
        let mut b = globset::GlobSetBuilder::new();
        for g in &self.allow.paths {
            let glob = globset::GlobBuilder::new(g)
                .literal_separator(false)
                .build()
                .map_err(|e| Error::Config {
                    file: file.clone(),
                    message: format!("allow path `{g}`: {e}"),
                })?;
            b.add(glob);
        }
        b.build().map(Some).map_err(|e| Error::Config {
            file,
            message: e.to_string(),
        })
    }

    /// Compile `allow`. An allowlist that matches every path or every
    /// secret would switch the scan off while it still exits 0: refuse it.
    fn compile_allowlists(&self) -> Result<CompiledAllow, Error> {
        let file = self.origin_label();
        let paths = self.allow_path_set()?;
        if let Some(set) = &paths
            && CANARY_PATHS.iter().all(|p| set.is_match(p))
        {
            return Err(Error::Config {
                file,
                message: "allow.paths matches every path: it would suppress every finding \
                          (list the directories to allow, e.g. \"testdata/**\")"
                    .into(),
            });
        }
        let mut path_regexes = None;
        if !self.allow.path_regexes.is_empty() {
            let set =
                regex::RegexSet::new(&self.allow.path_regexes).map_err(|e| Error::Config {
                    file: file.clone(),
                    message: format!("allow path regex: {e}"),
                })?;
            if CANARY_PATHS.iter().all(|p| set.is_match(p)) {
                return Err(Error::Config {
                    file,
                    message: "allow.path_regexes matches every path: it would suppress every \
                              finding (anchor each regex to the directories it allows)"
                        .into(),
                });
            }
            path_regexes = Some(set);
        }
        let mut secrets = None;
        if !self.allow.secrets.is_empty() {
            let set = regex::RegexSet::new(&self.allow.secrets).map_err(|e| Error::Config {
                file: file.clone(),
                message: format!("allow secret regex: {e}"),
            })?;
            if CANARY_SECRETS.iter().all(|s| set.is_match(s)) {
                return Err(Error::Config {
                    file,
                    message: "allow.secrets matches every secret: it would suppress every \
                              finding (anchor each regex to the one value it allows)"
                        .into(),
                });
            }
            secrets = Some(set);
        }
        Ok(CompiledAllow {
            paths,
            path_regexes,
            secrets,
        })
    }
}

fn outside(config: &Path, target: &Path) -> Error {
    Error::Config {
        file: safe_io::shown(config),
        message: format!(
            "names `{}`, which is outside its repository; a repository's config may only \
             name files inside it (use --rules or --config for others)",
            safe_io::shown(target)
        ),
    }
}

/// `a/./b` → `a/b`; `None` for absolute paths and any `..`.
fn normalise_relative(p: &Path) -> Option<String> {
    use std::path::Component;
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_string()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Every config that governs a run: the explicit one, or one per scanned
/// directory root. `scope_of` names a root as its locations will.
pub fn discover(
    explicit: Option<&Path>,
    roots: &[PathBuf],
    mode: &Mode,
    scope_of: impl Fn(&Path) -> String,
) -> Result<Vec<Config>, Error> {
    let dirs: Vec<&PathBuf> = roots.iter().filter(|r| r.is_dir()).collect();
    // One root: its config governs every location (labels of staged and
    // history places may differ from the root's spelling).
    let single = dirs.len() == 1 && roots.len() == 1;
    let mut out = Vec::new();
    if let Some(p) = explicit {
        out.push(Config::load(p)?);
    }
    for root in dirs {
        let scope = (!single).then(|| scope_of(root));
        let base = match mode {
            Mode::Gate { base: Some(rev) } => {
                crate::sources::git::workdir(root).map(|top| (top, rev.clone()))
            }
            _ => None,
        };
        let mut cfg = if explicit.is_some() {
            None
        } else {
            match (mode, &base) {
                (Mode::Tree, _) => Config::load_repository(root, scope.clone())?,
                (Mode::Gate { .. }, Some((top, rev))) => {
                    Config::load_revision(top, rev, scope.clone())?
                }
                (Mode::Gate { .. }, None) => None,
            }
        };
        // The root's ignore files: from the work tree, or (a gated change)
        // from the base revision, never from the change itself.
        let (ignores, notes) = match (mode, &base) {
            (Mode::Tree, _) => read_ignores(|name| {
                let path = root.join(name);
                match std::fs::symlink_metadata(&path) {
                    Ok(m) if m.is_file() => {
                        safe_io::read_text(&path, Kind::Config, safe_io::MAX_CONTROL_FILE).map(Some)
                    }
                    // A link or anything but a file is not read: it could
                    // point outside the root.
                    Ok(_) => Err(Error::Config {
                        file: safe_io::shown(&path),
                        message: "not a regular file (links are not followed)".into(),
                    }),
                    Err(_) => Ok(None),
                }
            })?,
            (Mode::Gate { .. }, Some((top, rev))) => read_ignores(|name| {
                match crate::sources::git::read_file_at(top, rev, name, safe_io::MAX_CONTROL_FILE) {
                    Ok(Some(b)) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
                    _ => Ok(None),
                }
            })?,
            (Mode::Gate { .. }, None) => (Vec::new(), Vec::new()),
        };
        if !ignores.is_empty() || !notes.is_empty() {
            let c = cfg.get_or_insert_with(|| Config {
                trust: Trust::Repository,
                scope: scope.clone(),
                ..Config::default()
            });
            c.ignores = ignores;
            c.notes.extend(notes);
        }
        out.extend(cfg);
    }
    Ok(out)
}

/// The entries of a root's `.keysprawlignore` and `.gitleaksignore`, read
/// with `read` (a file name → its text, if there is one), and notes on
/// gitleaks lines that were skipped.
fn read_ignores(
    read: impl Fn(&str) -> Result<Option<String>, Error>,
) -> Result<(Vec<crate::ignorefile::Located>, Vec<String>), Error> {
    use crate::ignorefile::{GITLEAKS_IGNORE, KEYSPRAWL_IGNORE, parse_gitleaks, parse_keysprawl};
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    if let Some(text) = read(KEYSPRAWL_IGNORE)? {
        entries.extend(parse_keysprawl(&text, KEYSPRAWL_IGNORE)?);
    }
    if let Some(text) = read(GITLEAKS_IGNORE)? {
        let (e, n) = parse_gitleaks(&text, GITLEAKS_IGNORE);
        entries.extend(e);
        notes.extend(n);
    }
    Ok((entries, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlists_that_match_everything_are_refused() {
        let o = Path::new("t.toml");
        for bad in [
            "[allow]\npaths = [\"**\"]",
            "[allow]\npaths = [\"*\"]",
            "[allow]\npaths = [\"**/*\"]",
            "[allow]\nsecrets = [\".\"]",
            "[allow]\nsecrets = [\"\"]",
            "[allow]\nsecrets = [\"(?s).*\"]",
        ] {
            assert!(Config::parse(bad, o).is_err(), "{bad}");
        }
        for good in [
            "[allow]\npaths = [\"testdata/**\", \"**/*.md\"]",
            "[allow]\nsecrets = [\"^AKIA[0-9A-Z]{12}TEST$\"]",
        ] {
            assert!(Config::parse(good, o).is_ok(), "{good}");
        }
    }

    #[test]
    fn relative_rule_paths_stay_inside() {
        assert_eq!(
            normalise_relative(Path::new("./a/b.toml")).as_deref(),
            Some("a/b.toml")
        );
        assert_eq!(normalise_relative(Path::new("../x.toml")), None);
        assert_eq!(normalise_relative(Path::new("/etc/x.toml")), None);
        assert_eq!(normalise_relative(Path::new("a/../../x")), None);
    }
}
