//! `.keysprawl.toml`: allowlists, disabled rules and extra rule directories.
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

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

pub const FILE_NAME: &str = ".keysprawl.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allow: Allow,
    #[serde(default)]
    pub rules: RulesConfig,
    /// The file this came from (set by [`Config::load`]).
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub secrets: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub extra: Vec<PathBuf>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Parse the text of a config file that lives at `origin` (extra rule
    /// directories are taken relative to it); nothing is read from disk.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, Error> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| Error::Config {
            file: origin.display().to_string(),
            message: e.message().to_string(),
        })?;
        let base = origin.parent().unwrap_or(Path::new("."));
        cfg.rules.extra = cfg.rules.extra.iter().map(|p| base.join(p)).collect();
        cfg.origin = Some(origin.to_path_buf());
        Ok(cfg)
    }

    /// The explicit file, else `.keysprawl.toml` in the first directory
    /// scanned, else nothing.
    pub fn discover(explicit: Option<&Path>, roots: &[PathBuf]) -> Result<Option<Config>, Error> {
        if let Some(p) = explicit {
            return Config::load(p).map(Some);
        }
        let Some(first) = roots.iter().find(|r| r.is_dir()) else {
            return Ok(None);
        };
        let candidate = first.join(FILE_NAME);
        if candidate.is_file() {
            Config::load(&candidate).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn origin_label(&self) -> String {
        self.origin
            .as_ref()
            .map_or_else(|| FILE_NAME.to_string(), |p| p.display().to_string())
    }
}
