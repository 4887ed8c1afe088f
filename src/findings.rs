//! Findings: hits grouped by (rule, secret value), one finding per credential
//! with the places it was seen at.
//!
//! # What a redacted report shows of a secret
//!
//! A reader of a redacted report must not be able to recover a secret, even
//! a weak one, by guessing. Two things could leak it: the fingerprint (any
//! unkeyed hash of `Winter2023!` falls to a dictionary in a few guesses) and
//! the characters redaction keeps at each end. So both depend on whether the
//! secret is *strong* ([`is_strong`]: at least 20 characters, about 90 bits by
//! its Shannon entropy, not repetitive), which a machine-made token is and a
//! password a person chose usually is not.
//!
//! **Fingerprint** (`fingerprint`, 64 hex digits) = HMAC-SHA256(key, secret):
//!
//! - strong secret: `key` is a fixed, public key ([`PUBLIC_KEY`]). Guessing
//!   a strong secret is hopeless, so a public key costs nothing, and the
//!   fingerprint is the same on every machine and in every CI run: baselines
//!   of provider tokens work everywhere without configuration.
//! - weak secret: `key` is `KEYSPRAWL_FINGERPRINT_KEY` when set (keep it in
//!   the CI secret store to share baselines between runs and machines);
//!   otherwise this user's key in `$XDG_CONFIG_HOME/keysprawl/fingerprint.key`
//!   (or `~/.config/…`), 32 random bytes created mode 0600 on first need, so
//!   baselines work on one machine; if that file cannot be made, a random key
//!   for this run only. `KEYSPRAWL_PUBLIC_FINGERPRINTS=1` opts in to the
//!   public key for weak secrets too: stable everywhere, but then anyone
//!   with the report can test password guesses against it.
//!
//! `fingerprint_key` in the JSON report says which key made a fingerprint
//! (`public`, `env`, `local`, `run`), and a note says when a baseline made
//! elsewhere will not match. A baseline written by an older keysprawl
//! (unsalted SHA-256) is still honoured: the old value is computed in memory
//! only to compare, never printed.
//!
//! **Redaction** keeps up to four characters at each end only when what it
//! hides is itself strong; any other secret is shown as eight `*`s whatever
//! its length.
//!
//! # Bounded by the report, not by the input
//!
//! One file can hold millions of hits of one secret. [`group`] keeps at most
//! [`max_locations`] locations per finding while it groups (every file's
//! first location first, then the earliest others), and counts all of them
//! per file, so `reuse`, exposure and suppression stay exact; the report
//! says how many it left out (`locations_omitted`) and lists the files with
//! no location shown (`omitted_paths`) so a baseline still covers them.

use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use ring::hmac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::matcher::{ContentHints, Matcher, Scratch};
use crate::origin::{Context, Origin, SourceKind};
use crate::rules::{Confidence, Rule, Severity};
use crate::scan::Collected;

/// The HMAC key of fingerprints of strong secrets (and of weak ones with
/// `KEYSPRAWL_PUBLIC_FINGERPRINTS=1`). Public by design; see the module docs.
pub const PUBLIC_KEY: &[u8] = b"keysprawl fingerprint v2 (public key for strong secrets)";

pub use crate::scan::{DEFAULT_MAX_LOCATIONS, max_locations};

/// Which key made a fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FingerprintKey {
    /// The public key: a strong secret, or weak ones by opt-in.
    #[default]
    Public,
    /// `KEYSPRAWL_FINGERPRINT_KEY`.
    Env,
    /// This user's key file.
    Local,
    /// A random key for this run only.
    Run,
}

/// Can this secret be guessed? Strong means: at least 20 characters, at
/// least 90 bits by Shannon entropy over its bytes, at least 3 bits per
/// byte, and at most a quarter of its 3-byte windows repeats.
pub fn is_strong(secret: &str) -> bool {
    let b = secret.as_bytes();
    let b = &b[..b.len().min(4096)];
    if secret.chars().count() < 20 {
        return false;
    }
    let h = crate::matcher::entropy::shannon(b);
    if h < 3.0 || h * (b.len() as f64) < 90.0 {
        return false;
    }
    let windows = b.len().saturating_sub(2);
    let distinct: HashSet<&[u8]> = b.windows(3).collect();
    distinct.len() * 4 >= windows * 3
}

fn weak_key() -> &'static (FingerprintKey, Vec<u8>) {
    static KEY: OnceLock<(FingerprintKey, Vec<u8>)> = OnceLock::new();
    KEY.get_or_init(|| {
        if let Some(k) = std::env::var_os("KEYSPRAWL_FINGERPRINT_KEY").filter(|k| !k.is_empty()) {
            return (FingerprintKey::Env, k.as_encoded_bytes().to_vec());
        }
        if std::env::var_os("KEYSPRAWL_PUBLIC_FINGERPRINTS").is_some_and(|v| v == "1") {
            return (FingerprintKey::Public, PUBLIC_KEY.to_vec());
        }
        if let Some(k) = local_key() {
            return (FingerprintKey::Local, k);
        }
        (FingerprintKey::Run, random_key().unwrap_or_default())
    })
}

fn random_key() -> Option<Vec<u8>> {
    use ring::rand::SecureRandom as _;
    let mut k = vec![0u8; 32];
    ring::rand::SystemRandom::new().fill(&mut k).ok()?;
    Some(k)
}

/// Where this user's fingerprint key lives.
pub fn local_key_path() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| std::path::PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("keysprawl").join("fingerprint.key"))
}

/// Read this user's key, creating it (0600, atomically: written aside, then
/// linked into place without replacing one another run made) if missing.
fn local_key() -> Option<Vec<u8>> {
    let path = local_key_path()?;
    let read = |p: &std::path::Path| -> Option<Vec<u8>> {
        let text = std::fs::read_to_string(p).ok()?;
        let k = hex::decode(text.trim()).ok()?;
        (k.len() >= 32).then_some(k)
    };
    if let Some(k) = read(&path) {
        return Some(k);
    }
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let key = random_key()?;
    let tmp = dir.join(format!("fingerprint.key.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let written = opts.open(&tmp).and_then(|mut f| {
        use std::io::Write as _;
        f.write_all(hex::encode(&key).as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Some(key),
        // Another run made it first: use theirs.
        Err(_) => read(&path),
    }
}

fn hmac_hex(key: &[u8], secret: &[u8]) -> String {
    let k = hmac::Key::new(hmac::HMAC_SHA256, key);
    hex::encode(hmac::sign(&k, secret).as_ref())
}

/// The fingerprint of a secret and the key that made it (module docs).
pub fn fingerprint_with_key(secret: &[u8]) -> (String, FingerprintKey) {
    if is_strong(&String::from_utf8_lossy(secret)) {
        return (hmac_hex(PUBLIC_KEY, secret), FingerprintKey::Public);
    }
    let (kind, key) = weak_key();
    (hmac_hex(key, secret), *kind)
}

/// The fingerprint of a secret: HMAC-SHA256 hex, keyed as the module docs say.
pub fn fingerprint(secret: &[u8]) -> String {
    fingerprint_with_key(secret).0
}

/// What keysprawl before fingerprint v2 printed (SHA-256 of the secret):
/// only ever compared with a baseline, never shown.
pub fn legacy_fingerprint(secret: &[u8]) -> String {
    hex::encode(Sha256::digest(secret))
}

/// A secret as it may be shown: up to four characters at each end when the
/// part hidden between them is strong, otherwise eight `*`s; never a line
/// break or other control character.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = (chars.len() / 8).min(4);
    let middle: String = chars[keep..chars.len() - keep].iter().collect();
    if keep == 0 || !is_strong(&middle) {
        return "*".repeat(8);
    }
    let clean = |s: &[char]| -> String {
        s.iter()
            .map(|&c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let head = clean(&chars[..keep]);
    let tail = clean(&chars[chars.len() - keep..]);
    let hidden = chars.len() - 2 * keep;
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
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// The chain of encodings the secret was decoded from here (outermost
    /// first, e.g. `base64 → percent`); none where it is written plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The CI system, job and step, for locations in CI configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<CiLocation>,
    /// What kind of file this is (test, example, code, config, ci, build).
    #[serde(default = "default_context")]
    pub context: Context,
    #[serde(skip)]
    pub timestamp: Option<i64>,
    #[serde(skip)]
    pub removed_at: Option<i64>,
    /// The line around the secret, secrets masked (see
    /// [`crate::scan::ContentHit::snippet`]); shown by the text report only.
    #[serde(skip)]
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CiLocation {
    pub system: crate::origin::CiSystem,
    pub job: Option<String>,
    pub step: Option<String>,
}

impl Location {
    fn new(place: &Origin, hit: &crate::scan::ContentHit) -> Location {
        let (line, column) = (hit.line, hit.column);
        let encoding = hit
            .parts
            .iter()
            .find(|(name, _)| name == "encoding")
            .map(|(_, chain)| chain.clone());
        let commit = place.commit();
        Location {
            repo: place.repo().map(|r| r.to_string()),
            path: place.path().to_string(),
            line,
            column,
            // A work-tree file that configures CI is a `ci` location.
            source: match place.kind() {
                SourceKind::File if crate::origin::ci_system(place.path()).is_some() => "ci",
                SourceKind::File => "file",
                SourceKind::Git => "git",
                SourceKind::Staged => "staged",
                SourceKind::Stdin => "stdin",
            }
            .to_string(),
            commit: commit.map(|c| c.id.clone()),
            author: commit.and_then(|c| c.author.clone()),
            date: commit.and_then(|c| c.date.clone()),
            present_at_head: place.present_at_head(),
            object: place.object(),
            encoding,
            ci: None,
            context: crate::origin::location_context(place.path(), hit.test_content),
            timestamp: commit.and_then(|c| c.time),
            removed_at: place.removed_at(),
            snippet: hit.snippet.clone(),
        }
    }
}

/// One credential: a (rule, secret) pair with all its locations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleRef,
    pub fingerprint: String,
    /// Which key made `fingerprint` (module docs).
    #[serde(default)]
    pub fingerprint_key: FingerprintKey,
    pub secret: String,
    pub severity: Severity,
    /// How sure this is a real credential (rule, checksum, validation).
    #[serde(default = "default_confidence")]
    pub confidence: Confidence,
    /// The most production-like context among its locations.
    #[serde(default = "default_context")]
    pub context: Context,
    pub validation: Validation,
    pub credential: Credential,
    pub reuse: Reuse,
    /// At most [`max_locations`] of them (see `locations_omitted`).
    pub locations: Vec<Location>,
    /// Locations seen but not listed in `locations`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub locations_omitted: usize,
    /// Files holding the secret where no listed location is (so a baseline
    /// made from this report covers them too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted_paths: Vec<String>,
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
    /// The rule that found it, shared with the matcher: what later stages
    /// (allowlists, analysis, validation) read of the rule.
    #[serde(skip, default = "crate::rules::Rule::detached")]
    pub rule_spec: Arc<Rule>,
    /// Every file (repo, path) the secret was seen in, with counts: what
    /// reuse, exposure and suppression are computed from.
    #[serde(skip)]
    pub paths: Vec<PathStat>,
}

fn default_confidence() -> Confidence {
    Confidence::Medium
}

fn default_context() -> Context {
    Context::Code
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// All locations of one finding in one file, summarised.
#[derive(Debug, Clone, Default)]
pub struct PathStat {
    pub repo: Option<String>,
    pub path: String,
    pub count: usize,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub removed_at: Option<i64>,
    /// Some location has a known `present_at_head`.
    pub head_known: bool,
    /// Some location (not a commit message) is present at HEAD.
    pub present: bool,
    /// Some location is not a commit message.
    pub in_content: bool,
}

impl PathStat {
    /// Count `n` locations at `place` (more than one when the scan stage
    /// kept one hit for several identical ones it did not keep).
    fn add(&mut self, place: &Origin, n: usize) {
        self.count += n;
        if let Some(t) = place.commit().and_then(|c| c.time) {
            self.first_ts = Some(self.first_ts.map_or(t, |f| f.min(t)));
            self.last_ts = Some(self.last_ts.map_or(t, |l| l.max(t)));
        }
        if let Some(r) = place.removed_at() {
            self.removed_at = Some(self.removed_at.map_or(r, |x| x.max(r)));
        }
        let message = place.is_commit_message();
        let present = place.present_at_head();
        self.head_known |= present.is_some();
        self.present |= present == Some(true) && !message;
        self.in_content |= !message;
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub value: String,
}

/// Parts keysprawl itself adds (not captured from the input): what decoding
/// a hit came through. Always shown.
pub const NOTE_PARTS: &[&str] = &["encoding"];

/// Is part `name` of a finding of `rule` shown in clear (when it does not
/// look like a credential)? The rule says so (`shown`), or it is a note.
pub fn part_is_shown(rule: &Rule, name: &str) -> bool {
    rule.spec.shows(name) || NOTE_PARTS.contains(&name)
}

/// How findings are shown and filtered.
#[derive(Debug, Clone, Default)]
pub struct FindingOptions {
    pub show_secrets: bool,
}

/// Is a value that sits in a descriptive capture (a user name, a host)
/// really a credential? Yes when it is, or holds, the secret or another
/// secret part; when it looks like a known token (a specific rule matches
/// it); or when it, or one of its dot/at/colon/slash separated pieces, is
/// strong (long and random).
fn looks_like_credential(
    value: &str,
    secret: &str,
    secret_parts: &[&str],
    matcher: &Matcher,
    scratch: &mut Scratch,
) -> bool {
    let holds = |s: &str| !s.is_empty() && (value == s || (s.len() >= 6 && value.contains(s)));
    if holds(secret) || secret_parts.iter().any(|p| holds(p)) {
        return true;
    }
    if is_strong(value) || value.split(['.', '@', ':', '/']).any(is_strong) {
        return true;
    }
    let mut raw = Vec::new();
    matcher.find(value.as_bytes(), ContentHints::default(), scratch, &mut raw);
    raw.iter().any(|m| !matcher.rule(m.rule).spec.generic)
}

/// The parts of a finding as shown: descriptive ones in clear unless they
/// look like a credential; every other one redacted.
fn shown_parts(
    rule: &Rule,
    raw_parts: &[(String, String)],
    secret: &str,
    opts: &FindingOptions,
    matcher: &Matcher,
    scratch: &mut Scratch,
) -> Vec<Part> {
    let descriptive = |n: &str| part_is_shown(rule, n);
    let secret_parts: Vec<&str> = raw_parts
        .iter()
        .filter(|(n, _)| !descriptive(n))
        .map(|(_, v)| v.as_str())
        .collect();
    raw_parts
        .iter()
        .map(|(name, value)| Part {
            name: name.clone(),
            value: if opts.show_secrets
                || (descriptive(name)
                    && !looks_like_credential(value, secret, &secret_parts, matcher, scratch))
            {
                value.clone()
            } else {
                redact(value)
            },
        })
        .collect()
}

/// The order locations are listed in.
type LocKey<'a> = (Option<&'a str>, &'a str, u64, u64, Option<&'a str>);

fn loc_key(l: &Location) -> LocKey<'_> {
    (
        l.repo.as_deref(),
        &l.path,
        l.line,
        l.column,
        l.commit.as_deref(),
    )
}

/// A kept location, ordered by its [`LocKey`] (the heap pops the last).
struct Kept(Location);

impl PartialEq for Kept {
    fn eq(&self, o: &Self) -> bool {
        loc_key(&self.0) == loc_key(&o.0)
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Kept {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        loc_key(&self.0).cmp(&loc_key(&o.0))
    }
}

/// Git-at-HEAD positions remembered per file, to drop the same position in
/// the work-tree file; past this many a file's work-tree hits are all taken
/// to be the HEAD ones.
const HEAD_POSITIONS: usize = 100_000;

type FileKey = (Option<Arc<str>>, Arc<str>);

/// What grouping keeps per finding: bounded by `cap` locations plus one
/// summary (and one first location) per file.
#[derive(Default)]
struct Acc {
    heap: BinaryHeap<Kept>,
    files: HashMap<FileKey, (PathStat, Option<Location>)>,
    /// Place → the site that delivered it; another site with the very same
    /// place holds the same content (one file scanned twice).
    places: HashMap<Origin, usize>,
    /// (line, column) of git locations present at HEAD, per file.
    head: HashMap<FileKey, HashSet<(u64, u64)>>,
    /// The last site seen and which of its places this finding owns (hits
    /// of one site come together, so the place check runs once per site).
    site_memo: Option<(usize, Vec<bool>)>,
}

/// The place of a hit inside an archive member: the archive's path with
/// the member's appended (`dist/app.zip!config/prod.env`), so each member
/// is a file of its own for locations and reuse.
fn in_member<'p>(place: &'p Origin, hit: &crate::scan::ContentHit) -> std::borrow::Cow<'p, Origin> {
    match &hit.member {
        None => std::borrow::Cow::Borrowed(place),
        Some(m) => std::borrow::Cow::Owned(place.member(m)),
    }
}

/// Group hits into findings, one per (rule, secret), in first-seen order
/// (the analysis stage orders them by risk). Each keeps at most
/// [`max_locations`] locations, chosen while grouping (see module docs).
pub fn group(collected: &Collected, matcher: &Matcher, opts: &FindingOptions) -> Vec<Finding> {
    let cap = max_locations();
    let mut by_key: HashMap<(usize, &[u8]), usize> = HashMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut accs: Vec<Acc> = Vec::new();
    // Pass 1: one finding per (rule, secret), and where HEAD holds it.
    for hit in &collected.hits {
        let c = &hit.content;
        let idx = *by_key
            .entry((c.rule, c.secret.as_slice()))
            .or_insert_with(|| {
                let spec = &matcher.rule(c.rule).spec;
                let raw: Arc<str> = Arc::from(String::from_utf8_lossy(&c.secret).as_ref());
                let (fingerprint, fingerprint_key) = fingerprint_with_key(&c.secret);
                findings.push(Finding {
                    rule: RuleRef {
                        id: spec.id.clone(),
                        name: spec.name.clone(),
                        provider: spec.provider.clone(),
                        description: spec.description.clone(),
                        revoke: spec.revoke.clone(),
                    },
                    fingerprint,
                    fingerprint_key,
                    secret: if opts.show_secrets {
                        raw.to_string()
                    } else {
                        redact(&raw)
                    },
                    severity: spec.severity,
                    // A service's documented default in a weak-value rule's
                    // context is a credential nobody chose: low.
                    confidence: if spec.weak_values
                        && crate::matcher::noise::is_known_default(&c.secret)
                    {
                        Confidence::Low
                    } else {
                        spec.confidence()
                    },
                    context: Context::Code,
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
                    locations_omitted: 0,
                    omitted_paths: Vec::new(),
                    parts: Vec::new(),
                    nhi: Vec::new(),
                    risk: 0,
                    raw,
                    raw_parts: Vec::new(),
                    rule_spec: matcher.rule(c.rule).clone(),
                    paths: Vec::new(),
                });
                accs.push(Acc::default());
                findings.len() - 1
            });
        let f = &mut findings[idx];
        for (name, value) in &c.parts {
            if !f.raw_parts.iter().any(|(n, v)| n == name && v == value) {
                f.raw_parts.push((name.clone(), value.clone()));
            }
        }
        let acc = &mut accs[idx];
        for place in &collected.sites[hit.site].places {
            let place = &*in_member(place, c);
            if place.kind() == SourceKind::Git && place.present_at_head() == Some(true) {
                let set = acc.head.entry(place.file_key()).or_default();
                if set.len() <= HEAD_POSITIONS {
                    set.insert((c.line, c.column));
                }
            }
        }
    }
    // Pass 2: count every location, keep the first `cap`.
    for hit in &collected.hits {
        let c = &hit.content;
        let Some(&idx) = by_key.get(&(c.rule, c.secret.as_slice())) else {
            continue;
        };
        let acc = &mut accs[idx];
        let places = &collected.sites[hit.site].places;
        if acc.site_memo.as_ref().is_none_or(|(s, _)| *s != hit.site) {
            let owned = places
                .iter()
                .map(|place| *acc.places.entry(place.clone()).or_insert(hit.site) == hit.site)
                .collect();
            acc.site_memo = Some((hit.site, owned));
        }
        let owned = acc.site_memo.take().map(|(_, o)| o).unwrap_or_default();
        for (place, _) in places.iter().zip(&owned).filter(|(_, o)| **o) {
            let place = &*in_member(place, c);
            let file: FileKey = place.file_key();
            // A work-tree file and the HEAD blob it matches are one place:
            // keep the git location, which says more.
            if place.kind() == SourceKind::File
                && let Some(head) = acc.head.get(&file)
                && (head.len() > HEAD_POSITIONS || head.contains(&(c.line, c.column)))
            {
                continue;
            }
            let key: LocKey<'_> = (
                place.repo().map(|r| &**r),
                place.path(),
                c.line,
                c.column,
                place.commit().map(|c| c.id.as_str()),
            );
            let into_heap =
                acc.heap.len() < cap || acc.heap.peek().is_some_and(|top| key < loc_key(&top.0));
            let (stat, first) = acc.files.entry(file).or_insert_with(|| {
                (
                    PathStat {
                        repo: place.repo().map(|r| r.to_string()),
                        path: place.path().to_string(),
                        ..PathStat::default()
                    },
                    None,
                )
            });
            // Hits the scan stage counted on this one instead of keeping.
            stat.add(place, 1 + usize::try_from(c.omitted).unwrap_or(usize::MAX));
            let new_first = first.as_ref().is_none_or(|l| key < loc_key(l));
            if !(into_heap || new_first) {
                continue;
            }
            let loc = Location::new(place, c);
            if new_first {
                *first = Some(loc.clone());
            }
            if into_heap {
                acc.heap.push(Kept(loc));
                if acc.heap.len() > cap {
                    acc.heap.pop();
                }
            }
        }
        acc.site_memo = Some((hit.site, owned));
    }
    let mut scratch = Scratch::default();
    for (f, acc) in findings.iter_mut().zip(accs) {
        f.parts = shown_parts(
            &f.rule_spec,
            &f.raw_parts,
            &f.raw,
            opts,
            matcher,
            &mut scratch,
        );
        let mut files: Vec<(PathStat, Option<Location>)> = acc.files.into_values().collect();
        files.sort_by(|a, b| (&a.0.repo, &a.0.path).cmp(&(&b.0.repo, &b.0.path)));
        // Every file's first location, then the earliest others, up to cap.
        let mut all: Vec<(bool, Location)> = files
            .iter_mut()
            .filter_map(|(_, first)| first.take())
            .take(cap)
            .map(|l| (true, l))
            .collect();
        let mut budget = cap - all.len();
        all.extend(acc.heap.into_iter().map(|k| (false, k.0)));
        // Firsts sort before an equal heap copy, which dedup then drops.
        all.sort_by(|a, b| loc_key(&a.1).cmp(&loc_key(&b.1)).then(b.0.cmp(&a.0)));
        all.dedup_by(|a, b| loc_key(&a.1) == loc_key(&b.1));
        let mut chosen = Vec::with_capacity(cap.min(all.len()));
        for (first, l) in all {
            if first {
                chosen.push(l);
            } else if budget > 0 {
                budget -= 1;
                chosen.push(l);
            }
        }
        // Only the first location's line of code is shown (text report):
        // the others need not keep theirs.
        for l in chosen.iter_mut().skip(1) {
            l.snippet = None;
        }
        f.locations = chosen;
        f.paths = files.into_iter().map(|(s, _)| s).collect();
        settle(f);
    }
    findings
}

/// Recount what follows from `paths` and `locations`: reuse, the omitted
/// count and the files with no listed location.
pub fn settle(f: &mut Finding) {
    let total: usize = f.paths.iter().map(|p| p.count).sum();
    f.locations_omitted = total.saturating_sub(f.locations.len());
    let listed: HashSet<(&Option<String>, &str)> = f
        .locations
        .iter()
        .map(|l| (&l.repo, l.path.as_str()))
        .collect();
    let omitted: BTreeSet<&str> = f
        .paths
        .iter()
        .filter(|p| !listed.contains(&(&p.repo, p.path.as_str())))
        .map(|p| p.path.as_str())
        .collect();
    f.omitted_paths = omitted.into_iter().map(str::to_string).collect();
    f.reuse = reuse_of(f);
}

/// Count locations, files and repos over every location seen (listed or
/// not).
pub fn reuse_of(f: &Finding) -> Reuse {
    let files: BTreeSet<(&Option<String>, &str)> =
        f.paths.iter().map(|p| (&p.repo, p.path.as_str())).collect();
    let repos: BTreeSet<&Option<String>> = f.paths.iter().map(|p| &p.repo).collect();
    let repos = repos.iter().filter(|r| r.is_some()).count().max(1);
    let ci = |p: &PathStat| crate::origin::ci_system(&p.path).is_some();
    Reuse {
        locations: f.paths.iter().map(|p| p.count).sum(),
        files: files.len(),
        repos,
        reused: files.len() >= 2 || repos >= 2,
        in_ci: f.paths.iter().any(ci),
        in_code: f.paths.iter().any(|p| !ci(p) && p.in_content),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_most_of_the_secret() {
        let r = redact("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"); // keysprawl:allow (test fixture)
        assert!(r.starts_with("ghp_"));
        assert!(r.ends_with("4xXH"));
        assert!(!r.contains("Pde0"));
        assert_eq!(redact("hunter2"), "********");
        assert_eq!(redact("Winter2023!"), "********");
        assert_eq!(redact("x-oauth-basic"), "********");
        assert_eq!(redact("CorrectHorseBatteryStaple2024!"), "********");
        assert!(!redact("a\nb\ncdefghijklmnopq").contains('\n'));
    }

    #[test]
    fn strength() {
        assert!(is_strong("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")); // keysprawl:allow (test fixture)
        assert!(is_strong("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(!is_strong("Winter2023!"));
        assert!(!is_strong("Password123456789!!!!"));
        assert!(!is_strong("Winter2023!Winter2023!Winter2023!Winter2023!"));
        assert!(!is_strong("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn strong_secrets_have_a_public_stable_fingerprint() {
        let tok = b"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"; // keysprawl:allow (test fixture)
        let (fp, key) = fingerprint_with_key(tok);
        assert_eq!(key, FingerprintKey::Public);
        assert_eq!(fp, hmac_hex(PUBLIC_KEY, tok));
        assert_ne!(fp, legacy_fingerprint(tok));
        assert_eq!(fp.len(), 64);
    }
}
