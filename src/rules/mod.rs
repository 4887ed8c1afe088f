//! The rule format: rules are data (TOML), embedded at build time and
//! extendable with the user's own files.
//!
//! A rule file holds a `[[rules]]` array. Each rule names the literals the
//! prefilter looks for (`keywords`), a regex with a named group `secret`, and
//! the examples that prove it. See `docs/rules.md` for the full format.

mod embedded;
pub mod examples;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How bad a leak of this credential is, before validation and analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        })
    }
}

/// What the rule knows of how long a credential of this kind lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLifetime {
    /// Long-lived until someone revokes it: API keys, PATs, private keys.
    Static,
    /// Expires by itself within hours: session keys, short OAuth tokens.
    Ephemeral,
    /// The token carries its own expiry (e.g. JWT `exp`): look inside.
    Inspect,
}

/// A cheap test of the bytes right after a keyword hit. A rule whose keyword
/// is common ("token", "https://", "pat") names the shape its match must
/// have there, and the regex does not run on the hits that lack it. The test
/// must hold wherever the rule's pattern matches (it is a filter, not a
/// rule), and the rule's examples prove it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum HitGuard {
    /// Any hit wakes the regex.
    #[default]
    Any,
    /// `"assignment"`: the keyword names a variable whose value follows.
    /// After the rest of the name (`[A-Za-z0-9_.-]`), an optional `\`, quote
    /// and `]`, and up to 8 blanks comes `=` or `:`; or, after an optional
    /// quote and a line break, up to 12 blanks and `value:` (Kubernetes env).
    Assignment,
    /// `"url-userinfo"`: the keyword is a URL scheme, and a `user:password@`
    /// follows before the URL's first `/`, `?`, `#`, quote or blank.
    UrlUserinfo,
    /// `"token:N"`: the keyword is a token prefix followed directly by at
    /// least N bytes of `[A-Za-z0-9_-]`.
    Token(u16),
    /// `"token:N."` (any ASCII punctuation in place of `.`): N bytes of
    /// `[A-Za-z0-9_-]`, then that byte (Airtable's `pat` + 14 + `.`).
    TokenThen(u16, u8),
    /// `"equals"`: up to 8 blanks, then `=`, right after the keyword (an
    /// `.npmrc` or INI key such as `_auth`, not a longer name that starts
    /// with it such as `_authToken`).
    Equals,
}

impl TryFrom<String> for HitGuard {
    type Error = String;

    fn try_from(value: String) -> Result<HitGuard, String> {
        match value.as_str() {
            "any" => Ok(HitGuard::Any),
            "assignment" => Ok(HitGuard::Assignment),
            "url-userinfo" => Ok(HitGuard::UrlUserinfo),
            "equals" => Ok(HitGuard::Equals),
            other => {
                let token = other.strip_prefix("token:").and_then(|n| {
                    let then = n.bytes().last().filter(u8::is_ascii_punctuation);
                    let digits = &n[..n.len() - then.map_or(0, |_| 1)];
                    Some((digits.parse::<u16>().ok()?, then))
                });
                match token {
                    Some((n, None)) => Ok(HitGuard::Token(n)),
                    Some((n, Some(then))) => Ok(HitGuard::TokenThen(n, then)),
                    None => Err(format!(
                        "unknown hit guard `{other}` (expected any, assignment, url-userinfo, \
                         equals, token:N or token:N followed by one punctuation byte, e.g. token:14.)"
                    )),
                }
            }
        }
    }
}

impl From<HitGuard> for String {
    fn from(guard: HitGuard) -> String {
        match guard {
            HitGuard::Any => "any".into(),
            HitGuard::Assignment => "assignment".into(),
            HitGuard::UrlUserinfo => "url-userinfo".into(),
            HitGuard::Token(n) => format!("token:{n}"),
            HitGuard::TokenThen(n, then) => format!("token:{n}{}", then as char),
            HitGuard::Equals => "equals".into(),
        }
    }
}

/// A second part of a multi-part credential that must sit near the main
/// match (an AWS key id beside its secret key, a Twilio SID beside its token).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Companion {
    /// Name the companion's value is reported under (e.g. `key_id`).
    pub name: String,
    /// Regex with a named group `value` (or the whole match).
    pub pattern: String,
    /// How far (bytes) before or after the main match the companion may sit.
    #[serde(default = "default_companion_distance")]
    pub within: usize,
    /// When true a match without the companion is not a finding.
    #[serde(default = "default_true")]
    pub required: bool,
}

fn default_companion_distance() -> usize {
    512
}

fn default_true() -> bool {
    true
}

/// An HTTP check for liveness, declared as data (issue #5 fills the engine).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ValidationRecipe {
    /// `http` (a request below) or the name of a coded validator (`aws`, `gcp-sa`, ...).
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default = "default_method")]
    pub method: String,
    /// URL template; `{secret}` and other named captures are substituted.
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
    /// HTTP basic auth (user, password), templated like `headers`.
    #[serde(default)]
    pub basic_auth: Option<(String, String)>,
    /// Status codes that, together with `live_json`/`live_header`, mean live.
    #[serde(default)]
    pub live_status: Vec<u16>,
    /// JSON pointers that must be present (non-null) in a live answer.
    #[serde(default)]
    pub live_json: Vec<String>,
    /// A header that must be present in a live answer.
    #[serde(default)]
    pub live_header: Option<String>,
    /// JSON pointer = value pairs that mean the answer is the provider's
    /// "invalid credential" even on a 200 (e.g. Slack `/ok` = false).
    #[serde(default)]
    pub revoked_json: Vec<(String, serde_json::Value)>,
    #[serde(default)]
    pub revoked_status: Vec<u16>,
    /// Status codes that mean "valid but not allowed here".
    #[serde(default)]
    pub no_permission_status: Vec<u16>,
    /// JSON pointers whose values name the credential's owner.
    #[serde(default)]
    pub identity_json: Vec<String>,
    /// Header or JSON pointer that lists the credential's scopes.
    #[serde(default)]
    pub scopes_header: Option<String>,
    #[serde(default)]
    pub scopes_json: Option<String>,
}

fn default_kind() -> String {
    "http".into()
}

fn default_method() -> String {
    "GET".into()
}

/// One detector, exactly as written in a rule file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub description: String,
    /// Literals (ASCII case-insensitive) that must appear near a match.
    pub keywords: Vec<String>,
    /// Regex (Rust `regex` syntax) with a named capture group `secret`.
    pub pattern: String,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Named verifier (see `matcher::checksum`).
    #[serde(default)]
    pub checksum: Option<String>,
    pub lifetime: RuleLifetime,
    pub severity: Severity,
    /// Where a person rotates or revokes this credential (URL or command).
    #[serde(default)]
    pub revoke: Option<String>,
    /// Bytes around a keyword hit that the regex sees (default 256).
    #[serde(default)]
    pub window: Option<usize>,
    /// The rule is a generic assignment detector: stricter noise filters, and
    /// its match yields to any specific rule's match on the same bytes.
    #[serde(default)]
    pub generic: bool,
    /// What must follow a keyword for its hit to wake the regex (see
    /// [`HitGuard`]). Default: any hit does.
    #[serde(default)]
    pub hit: HitGuard,
    /// When two specific rules match exactly the same secret span, only the
    /// higher priority is reported (e.g. a provider's JWT rule over the plain
    /// `jwt` rule, which sets -1). Default 0.
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub companions: Vec<Companion>,
    #[serde(default)]
    pub validation: Option<ValidationRecipe>,
    /// Strings in which this rule must find a secret.
    pub examples: Vec<String>,
    /// Near misses in which this rule must find nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// Where a rule came from, so an error can name the file.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSource(pub String);

/// Who wrote a rule, and so what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Trust {
    /// Compiled into the binary.
    Builtin,
    /// Named by the user (`--rules`, or a `--config` file's `rules.extra`).
    #[default]
    User,
    /// Named by a config found in scanned content. Such a rule never
    /// validates (its `validation` is dropped at load), and never wins over
    /// a built-in or user rule on the same bytes: it can add findings, not
    /// hide or re-route one. `scope` is the root whose locations it may
    /// report (`None`: the only root of the run).
    Repository { scope: Option<String> },
}

/// A rule spec together with the file it came from.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub source: RuleSource,
    pub trust: Trust,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }
}

/// The set of rules one run uses.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules compiled into the binary. Their patterns are not parsed
    /// here: the test suite compiles every one (`rules check` does too), and
    /// parsing ~400 patterns took ~40M instructions, about half of what a
    /// pre-commit run of a few files spends before it reads one.
    pub fn embedded() -> Result<RuleSet, Error> {
        let mut set = RuleSet::default();
        for (name, text) in embedded::FILES {
            set.add(
                text,
                &format!("<embedded>/{name}"),
                Patterns::Trusted,
                Trust::Builtin,
            )?;
        }
        Ok(set)
    }

    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Add the rules in one TOML text; `origin` names it in errors.
    pub fn add_text(&mut self, text: &str, origin: &str) -> Result<(), Error> {
        self.add(text, origin, Patterns::Parse, Trust::User)
    }

    /// Add the rules of one TOML text found in scanned content (see
    /// [`Trust::Repository`]).
    pub fn add_repository_text(
        &mut self,
        text: &str,
        origin: &str,
        scope: Option<String>,
    ) -> Result<(), Error> {
        self.add(text, origin, Patterns::Parse, Trust::Repository { scope })
    }

    fn add(
        &mut self,
        text: &str,
        origin: &str,
        patterns: Patterns,
        trust: Trust,
    ) -> Result<(), Error> {
        let file: RuleFile = toml::from_str(text)
            .map_err(|e| Error::rule_syntax(origin, rule_id_near_error(text, &e), text, &e))?;
        for mut spec in file.rules {
            if let Trust::Repository { .. } = trust {
                // Content never sends a secret anywhere, nor outranks the
                // rules the user chose.
                spec.validation = None;
                spec.priority = spec.priority.min(REPOSITORY_PRIORITY);
            }
            validate_spec(&spec, patterns).map_err(|message| Error::Rule {
                file: origin.to_string(),
                rule: Some(spec.id.clone()),
                message,
            })?;
            if let Some(existing) = self.rules.iter().find(|r| r.spec.id == spec.id) {
                return Err(Error::Rule {
                    file: origin.to_string(),
                    rule: Some(spec.id.clone()),
                    message: format!("duplicate rule id (also defined in {})", existing.source.0),
                });
            }
            self.rules.push(Rule {
                spec,
                source: RuleSource(origin.to_string()),
                trust: trust.clone(),
            });
        }
        Ok(())
    }

    /// Add a rule file, or every `*.toml` under a directory (recursively,
    /// in sorted order so ids clash deterministically).
    pub fn add_path(&mut self, path: &Path) -> Result<(), Error> {
        self.add_path_as(path, Trust::User)
    }

    /// [`RuleSet::add_path`] for rule files a scanned repository's config
    /// names (see [`Trust::Repository`]).
    pub fn add_repository_path(&mut self, path: &Path, scope: Option<String>) -> Result<(), Error> {
        self.add_path_as(path, Trust::Repository { scope })
    }

    fn add_path_as(&mut self, path: &Path, trust: Trust) -> Result<(), Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let files = if meta.is_dir() {
            let mut files = collect_toml(path)?;
            files.sort();
            files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let text = crate::safe_io::read_text(
                &file,
                crate::safe_io::Kind::Rules,
                crate::safe_io::MAX_CONTROL_FILE,
            )?;
            let origin = crate::safe_io::shown(&file);
            self.add(&text, &origin, Patterns::Parse, trust.clone())?;
        }
        Ok(())
    }

    /// Drop rules by id; unknown ids are an error so a typo is not silent.
    pub fn disable(&mut self, ids: &[String]) -> Result<(), Error> {
        let known: HashSet<&str> = self.rules.iter().map(|r| r.spec.id.as_str()).collect();
        if let Some(bad) = ids.iter().find(|id| !known.contains(id.as_str())) {
            return Err(Error::Usage(format!(
                "cannot disable unknown rule id `{bad}` (see `keysprawl rules list`)"
            )));
        }
        self.rules.retain(|r| !ids.contains(&r.spec.id));
        Ok(())
    }

    /// Keep only these rule ids.
    pub fn only(&mut self, ids: &[String]) -> Result<(), Error> {
        let known: HashSet<&str> = self.rules.iter().map(|r| r.spec.id.as_str()).collect();
        if let Some(bad) = ids.iter().find(|id| !known.contains(id.as_str())) {
            return Err(Error::Usage(format!(
                "unknown rule id `{bad}` (see `keysprawl rules list`)"
            )));
        }
        self.rules.retain(|r| ids.contains(&r.spec.id));
        Ok(())
    }
}

/// Every `*.toml` file under `dir`, walked with an explicit stack (no
/// recursion on the tree's depth). Symbolic links are not followed: a rule
/// directory is read as the files it holds.
fn collect_toml(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    /// More files than any rule library holds: a directory this big is a
    /// mistake (or a hostile tree), not a rule set.
    const MAX_ENTRIES: usize = 100_000;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            seen += 1;
            if seen > MAX_ENTRIES {
                return Err(Error::Usage(format!(
                    "rule directory {}: more than {MAX_ENTRIES} entries",
                    crate::safe_io::shown(&dir)
                )));
            }
            let path = entry.path();
            let ft = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// Best effort: name the rule whose table the TOML error points into.
fn rule_id_near_error(text: &str, err: &toml::de::Error) -> Option<String> {
    let span = err.span()?;
    let before = text.get(..span.start)?;
    let table = before.rfind("[[rules]]")?;
    let id_line = text[table..]
        .lines()
        .find(|l| l.trim_start().starts_with("id"))?;
    let value = id_line.split_once('=')?.1.trim().trim_matches('"');
    Some(value.to_string())
}

/// The named groups of a pattern, or why it does not parse. Only the syntax
/// tree is built here (cheap); compiling waits for the first keyword hit.
fn pattern_group_names(pattern: &str) -> Result<Vec<String>, String> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    collect_names(&ast, &mut names);
    Ok(names)
}

fn collect_names(ast: &regex_syntax::ast::Ast, out: &mut Vec<String>) {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            if let GroupKind::CaptureName { name, .. } = &g.kind {
                out.push(name.name.clone());
            }
            collect_names(&g.ast, out);
        }
        Ast::Concat(c) => c.asts.iter().for_each(|a| collect_names(a, out)),
        Ast::Alternation(a) => a.asts.iter().for_each(|x| collect_names(x, out)),
        Ast::Repetition(r) => collect_names(&r.ast, out),
        _ => {}
    }
}

/// Whether loading a rule parses its patterns (and checks that the main one
/// has a `secret` group) or leaves that to the compile on first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Patterns {
    /// The user's rules: a broken pattern is an error at load, naming the
    /// file and the rule.
    Parse,
    /// The built-in rules, which the test suite compiles.
    Trusted,
}

/// The largest `window` a rule may ask for (bytes on each side of a hit).
pub const MAX_WINDOW: usize = 64 * 1024;

/// The largest companion `within` distance (bytes before or after a match).
pub const MAX_COMPANION_WITHIN: usize = 64 * 1024;

/// The highest `priority` a repository's rule may have: below every
/// built-in rule's, so it never wins a span from one.
pub const REPOSITORY_PRIORITY: i32 = -1000;

fn validate_spec(spec: &RuleSpec, patterns: Patterns) -> Result<(), String> {
    if spec.id.is_empty()
        || !spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("`id` must be non-empty lowercase letters, digits and `-`".into());
    }
    if spec.keywords.is_empty() {
        return Err("`keywords` must list at least one literal for the prefilter".into());
    }
    if let Some(k) = spec.keywords.iter().find(|k| k.len() < 3) {
        return Err(format!(
            "keyword `{k}` is shorter than 3 bytes: it would hit everywhere"
        ));
    }
    // Parse (cheap) rather than compile (costly): the matcher compiles each
    // pattern only when one of its keywords first hits.
    if patterns == Patterns::Parse {
        let names = pattern_group_names(&spec.pattern)
            .map_err(|e| format!("`pattern` does not compile: {e}"))?;
        if !names.iter().any(|n| n == "secret") {
            return Err("`pattern` has no named group `secret`".into());
        }
        for c in &spec.companions {
            pattern_group_names(&c.pattern)
                .map_err(|e| format!("companion `{}` pattern does not compile: {e}", c.name))?;
        }
    }
    if let Some(name) = &spec.checksum
        && !crate::matcher::checksum::is_known(name)
    {
        return Err(format!(
            "unknown checksum `{name}` (known: {})",
            crate::matcher::checksum::KNOWN.join(", ")
        ));
    }
    if let Some(e) = spec.entropy
        && !(0.0..=8.0).contains(&e)
    {
        return Err(format!("`entropy` {e} is outside 0..=8 bits per byte"));
    }
    if let Some(w) = spec.window
        && w > MAX_WINDOW
    {
        return Err(format!(
            "`window` {w} is larger than {MAX_WINDOW} bytes (a window is searched for every keyword hit)"
        ));
    }
    if let Some(c) = spec
        .companions
        .iter()
        .find(|c| c.within == 0 || c.within > MAX_COMPANION_WITHIN)
    {
        return Err(format!(
            "companion `{}`: `within` {} is outside 1..={MAX_COMPANION_WITHIN} bytes",
            c.name, c.within
        ));
    }
    if spec.examples.is_empty() {
        return Err("`examples` must hold at least one string the rule matches".into());
    }
    Ok(())
}
