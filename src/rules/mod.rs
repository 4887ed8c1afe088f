//! The rule format: rules are data (TOML), embedded at build time and
//! extendable with the user's own files.
//!
//! A rule file holds a `[[rules]]` array. Each rule names the literals the
//! prefilter looks for (`keywords`), a regex with a named group `secret`, and
//! the examples that prove it. See `docs/rules.md` for the full format.

mod embedded;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How bad a leak of this credential is, before validation and analysis.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
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

/// How sure keysprawl is that a finding is a real credential (see
/// `docs/confidence.md`): `high` when a checksum or a provider's own format
/// proves it (or validation found it live), `medium` for a specific format
/// or a generic value in a strong context, `low` for a generic value with
/// weak evidence. Ordered: `Low < Medium < High`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
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

/// A named verifier for a token format that carries its own checksum or a
/// fixed inner structure (`checksum = "github-crc32"`). A token that fails
/// it is not a finding. The verifiers themselves are
/// `matcher::checksum::verify`; an unknown name is a load error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
#[non_exhaustive]
pub enum Checksum {
    /// `prefix_` + 30 base62 + the 6-digit base62 CRC32 of the 30 (GitHub, npm).
    GithubCrc32,
    /// Three base64url parts; the header a JSON object with `alg`.
    Jwt,
    /// Standard base64 that decodes to exactly 64 bytes (Azure storage keys).
    Base64Bytes64,
    /// `pypi-` + a base64url macaroon naming `pypi.org`.
    PypiMacaroon,
    /// Contains OpenAI's `T3BlbkFJ` marker.
    OpenaiMarker,
    /// 52 chars of `[a-z2-7]`, or 84 chars holding `AZDO`.
    AzureDevopsPat,
    /// GitLab routable tokens: a base36 CRC32 in the last 7 chars.
    GitlabRoutable,
    /// `glsa_` + 32 + `_` + the hex CRC32 of what precedes it (Grafana).
    GrafanaCrc32,
    /// A NATS NKEY seed: base32 of a 2-byte seed prefix, 32 bytes and
    /// their CRC16 (XMODEM), little-endian.
    NkeyCrc16,
    /// HTTP Basic credentials: base64 of `user:password`, the password not
    /// a placeholder or a word.
    BasicAuth,
}

impl Checksum {
    /// Every checksum, in the order `docs/rules.md` lists them.
    pub const ALL: &[Checksum] = &[
        Checksum::GithubCrc32,
        Checksum::Jwt,
        Checksum::Base64Bytes64,
        Checksum::PypiMacaroon,
        Checksum::OpenaiMarker,
        Checksum::AzureDevopsPat,
        Checksum::GitlabRoutable,
        Checksum::GrafanaCrc32,
        Checksum::NkeyCrc16,
        Checksum::BasicAuth,
    ];

    /// The name a rule file spells it with.
    pub fn name(self) -> &'static str {
        match self {
            Checksum::GithubCrc32 => "github-crc32",
            Checksum::Jwt => "jwt",
            Checksum::Base64Bytes64 => "base64-64bytes",
            Checksum::PypiMacaroon => "pypi-macaroon",
            Checksum::OpenaiMarker => "openai-marker",
            Checksum::AzureDevopsPat => "azure-devops-pat",
            Checksum::GitlabRoutable => "gitlab-routable",
            Checksum::GrafanaCrc32 => "grafana-crc32",
            Checksum::NkeyCrc16 => "nkey-crc16",
            Checksum::BasicAuth => "basic-auth",
        }
    }
}

/// What kind of credential a rule finds, as far as analysis cares
/// (`tags = ["cloud", "human-token"]`). Tags decide OWASP NHI ids; an
/// unknown tag is a load error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
#[non_exhaustive]
pub enum Tag {
    /// A cloud provider's credential (AWS, GCP, Azure, ...): static in CI
    /// it evidences NHI6 (insecure cloud deployment configurations).
    Cloud,
    /// Issued to a person (a personal access token, a user token): used in
    /// CI it evidences NHI10 (human use of NHI, here the reverse: a human's
    /// credential run as a machine's).
    HumanToken,
    /// Travels inside a URL or a basic-auth pair: evidences NHI4 (insecure
    /// authentication).
    UrlCredential,
}

impl Tag {
    /// Every tag, in the order `docs/rules.md` lists them.
    pub const ALL: &[Tag] = &[Tag::Cloud, Tag::HumanToken, Tag::UrlCredential];

    /// The name a rule file spells it with.
    pub fn name(self) -> &'static str {
        match self {
            Tag::Cloud => "cloud",
            Tag::HumanToken => "human-token",
            Tag::UrlCredential => "url-credential",
        }
    }
}

/// `TryFrom<String>` (the load error lists every name) and `Into<&str>`
/// for an enum of names a rule file spells (`ALL` and `name()`), so serde
/// reads and writes exactly the names `name()` gives.
macro_rules! named_enum {
    ($ty:ty, $what:literal) => {
        impl TryFrom<String> for $ty {
            type Error = String;

            fn try_from(value: String) -> Result<$ty, String> {
                <$ty>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == value)
                    .ok_or_else(|| {
                        let names: Vec<&str> = <$ty>::ALL.iter().map(|v| v.name()).collect();
                        format!(
                            concat!("unknown ", $what, " `{}` (expected one of: {})"),
                            value.escape_debug(),
                            names.join(", ")
                        )
                    })
            }
        }

        impl From<$ty> for &'static str {
            fn from(value: $ty) -> &'static str {
                value.name()
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named_enum!(Checksum, "checksum");
named_enum!(Tag, "tag");
named_enum!(ValidationKind, "validation kind");

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
    /// The value says where the credential belongs (an account name, a
    /// host, an e-mail) rather than being part of it: reports show it in
    /// clear (unless it looks like a credential itself), and a validator's
    /// verdict may name it. Default false: redacted like the secret.
    #[serde(default)]
    pub shown: bool,
}

fn default_companion_distance() -> usize {
    512
}

fn default_true() -> bool {
    true
}

/// Which validator checks a rule's credential: the HTTP request a recipe
/// declares, or a coded validator (`src/validation/<kind>.rs`) that builds
/// its own request and reads its own answer. An unknown kind is a load
/// error that lists these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
#[non_exhaustive]
pub enum ValidationKind {
    /// The request the recipe declares (`url`, `headers`, ...).
    #[default]
    Http,
    /// AWS access keys: a signed STS `GetCallerIdentity`.
    Aws,
    /// Google Cloud service-account keys: a signed JWT exchanged for a token.
    GcpServiceAccount,
    /// Azure Storage account keys: a Shared Key signed `List Containers`.
    AzureStorage,
    /// Never checked (a connection to a database is out of scope): the
    /// verdict is `unknown` and says so.
    Unknown,
    /// A check that panics, for the engine's own tests (no rule file can
    /// name it: it is not in [`ValidationKind::ALL`]).
    #[cfg(test)]
    TestPanic,
}

impl ValidationKind {
    /// Every kind a rule file may name.
    pub const ALL: &[ValidationKind] = &[
        ValidationKind::Http,
        ValidationKind::Aws,
        ValidationKind::GcpServiceAccount,
        ValidationKind::AzureStorage,
        ValidationKind::Unknown,
    ];

    /// The name a rule file spells it with.
    pub fn name(self) -> &'static str {
        match self {
            ValidationKind::Http => "http",
            ValidationKind::Aws => "aws",
            ValidationKind::GcpServiceAccount => "gcp-service-account",
            ValidationKind::AzureStorage => "azure-storage",
            ValidationKind::Unknown => "unknown",
            #[cfg(test)]
            ValidationKind::TestPanic => "test-panic",
        }
    }
}

/// A liveness check, declared as data: which validator, and for `http` the
/// request and how to read the answer.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ValidationRecipe {
    /// `http` (the request below, the default) or a coded validator.
    #[serde(default)]
    pub kind: ValidationKind,
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
    /// Scopes (from `scopes_header`/`scopes_json`) that mean "can do (almost)
    /// everything" at this provider: a live credential holding one is
    /// reported overprivileged. ASCII case-insensitive; `admin*` matches a
    /// prefix, `*:admin` a suffix, and a lone `*` the scope `*` itself.
    #[serde(default)]
    pub broad: Vec<String>,
}

impl ValidationRecipe {
    /// Does this scope, as a provider listed it, make the credential broad?
    pub fn is_broad(&self, scope: &str) -> bool {
        let scope = scope.as_bytes();
        self.broad.iter().any(|b| {
            let b = b.as_bytes();
            if b.len() > 1
                && let Some(prefix) = b.strip_suffix(b"*")
            {
                scope.len() >= prefix.len() && scope[..prefix.len()].eq_ignore_ascii_case(prefix)
            } else if b.len() > 1
                && let Some(suffix) = b.strip_prefix(b"*")
            {
                scope.len() >= suffix.len()
                    && scope[scope.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            } else {
                scope.eq_ignore_ascii_case(b)
            }
        })
    }

    /// The request fields only an `http` recipe uses that this one sets.
    fn http_fields_set(&self) -> Vec<&'static str> {
        let fields = [
            ("url", !self.url.is_empty()),
            ("headers", !self.headers.is_empty()),
            ("body", self.body.is_some()),
            ("basic_auth", self.basic_auth.is_some()),
            ("live_status", !self.live_status.is_empty()),
            ("live_json", !self.live_json.is_empty()),
            ("live_header", self.live_header.is_some()),
            ("revoked_json", !self.revoked_json.is_empty()),
            ("revoked_status", !self.revoked_status.is_empty()),
            (
                "no_permission_status",
                !self.no_permission_status.is_empty(),
            ),
            ("identity_json", !self.identity_json.is_empty()),
            ("scopes_header", self.scopes_header.is_some()),
            ("scopes_json", self.scopes_json.is_some()),
            ("broad", !self.broad.is_empty()),
        ];
        fields
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| name)
            .collect()
    }
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
    /// How sure a match of this rule is (see [`Confidence`]). Default: `high`
    /// for a rule with a checksum, `medium` otherwise.
    #[serde(default)]
    pub confidence: Option<Confidence>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Named verifier (see [`Checksum`]).
    #[serde(default)]
    pub checksum: Option<Checksum>,
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
    /// The rule's context is unambiguous (a literal assigned to a password
    /// name, a URL's userinfo on a concrete host): any chosen value is a
    /// credential, however weak (`secret`, `pass`, a service default); only
    /// stand-ins, references, schema words and identifiers are dropped (see
    /// `matcher::noise::classify_weak`). Default: false.
    #[serde(default)]
    pub weak_values: bool,
    /// Where the format, prefix or endpoint is documented (provider docs,
    /// SDK source): `https://` URLs. Shown by `rules list`.
    #[serde(default)]
    pub references: Vec<String>,
    /// What must follow a keyword for its hit to wake the regex (see
    /// [`HitGuard`]). Default: any hit does.
    #[serde(default)]
    pub hit: HitGuard,
    /// When two specific rules match the same secret span, or one's span lies
    /// inside the other's, only the higher priority is reported (e.g. a
    /// provider's JWT rule over the plain `jwt` rule, which sets -1; see
    /// `Scanner::resolve_overlaps` for the tie-breaks). Default 0.
    #[serde(default)]
    pub priority: i32,
    /// What kind of credential this is, as analysis reads it (see [`Tag`]).
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Named captures of `pattern` (other than `secret`) that say where the
    /// credential belongs (a host, a user name): shown in clear in reports
    /// unless they look like a credential. Every other capture is redacted.
    #[serde(default)]
    pub shown: Vec<String>,
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

impl RuleSpec {
    /// How sure a match of this rule is before validation: what the rule
    /// says; else `high` for a checksum or a provider's own prefix (the
    /// secret begins with a fixed literal of 3+ bytes that is one of the
    /// rule's keywords, e.g. `ghp_`, `AKIA`, `xoxb-`), `medium` otherwise.
    pub fn confidence(&self) -> Confidence {
        match (self.confidence, self.checksum) {
            (Some(c), _) => c,
            (None, Some(_)) => Confidence::High,
            (None, None) if !self.generic && self.has_prefix_format() => Confidence::High,
            (None, None) => Confidence::Medium,
        }
    }

    /// Does the `secret` group start with a literal that is a keyword?
    fn has_prefix_format(&self) -> bool {
        let Some(at) = self.pattern.find("(?P<secret>") else {
            return false;
        };
        let rest = &self.pattern[at + "(?P<secret>".len()..];
        let mut lit = String::new();
        let mut chars = rest.chars().peekable();
        let mut stop = None;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&n) if n.is_ascii_punctuation() => {
                        lit.push(n);
                        chars.next();
                    }
                    _ => break,
                },
                c if c.is_ascii_alphanumeric()
                    || matches!(c, '_' | '-' | ':' | '/' | '@' | '=') =>
                {
                    lit.push(c)
                }
                c => {
                    stop = Some(c);
                    break;
                }
            }
        }
        // A quantifier right after the literal applies to its last byte.
        if matches!(stop, Some('?' | '*' | '{')) {
            lit.pop();
        }
        lit.len() >= 3
            && self.keywords.iter().any(|k| {
                k.len() >= 3
                    && lit
                        .to_ascii_lowercase()
                        .starts_with(&k.to_ascii_lowercase())
            })
    }

    /// Has the rule tag `tag`?
    pub fn has_tag(&self, tag: Tag) -> bool {
        self.tags.contains(&tag)
    }

    /// Is the part called `name` (a named capture or a companion) shown in
    /// clear? See [`RuleSpec::shown`] and [`Companion::shown`].
    pub fn shows(&self, name: &str) -> bool {
        self.shown.iter().any(|s| s == name)
            || self.companions.iter().any(|c| c.shown && c.name == name)
    }
}

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

    /// A rule that stands for none: what a finding read back from a JSON
    /// report (which does not carry its rule) holds. It has no id, tags,
    /// shown parts or validation.
    pub fn detached() -> Arc<Rule> {
        static NONE: OnceLock<Arc<Rule>> = OnceLock::new();
        NONE.get_or_init(|| {
            Arc::new(Rule {
                spec: RuleSpec {
                    id: String::new(),
                    name: String::new(),
                    provider: String::new(),
                    description: String::new(),
                    keywords: Vec::new(),
                    pattern: String::new(),
                    confidence: None,
                    entropy: None,
                    checksum: None,
                    lifetime: RuleLifetime::Static,
                    severity: Severity::Info,
                    revoke: None,
                    window: None,
                    generic: false,
                    weak_values: false,
                    references: Vec::new(),
                    hit: HitGuard::Any,
                    priority: 0,
                    tags: Vec::new(),
                    shown: Vec::new(),
                    companions: Vec::new(),
                    validation: None,
                    examples: Vec::new(),
                    negative_examples: Vec::new(),
                },
                source: RuleSource("<none>".into()),
                trust: Trust::User,
            })
        })
        .clone()
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
            validate_spec(&spec, patterns, &trust).map_err(|message| Error::Rule {
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

/// The capture names in `ast`, walked with an explicit stack (a user's
/// pattern is input: no recursion on its depth).
fn collect_names(ast: &regex_syntax::ast::Ast, out: &mut Vec<String>) {
    use regex_syntax::ast::{Ast, GroupKind};
    let mut stack = vec![ast];
    while let Some(ast) = stack.pop() {
        match ast {
            Ast::Group(g) => {
                if let GroupKind::CaptureName { name, .. } = &g.kind {
                    out.push(name.name.clone());
                }
                stack.push(&g.ast);
            }
            Ast::Concat(c) => stack.extend(c.asts.iter()),
            Ast::Alternation(a) => stack.extend(a.asts.iter()),
            Ast::Repetition(r) => stack.push(&r.ast),
            _ => {}
        }
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

/// The fewest `examples` and `negative_examples` a built-in rule has
/// (`docs/rules.md`); a user's rule needs one example.
pub const BUILTIN_MIN_EXAMPLES: usize = 2;
pub const BUILTIN_MIN_NEGATIVE_EXAMPLES: usize = 1;

fn validate_spec(spec: &RuleSpec, patterns: Patterns, trust: &Trust) -> Result<(), String> {
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
        if let Some(name) = spec.shown.iter().find(|n| !names.contains(n)) {
            return Err(format!(
                "`shown` names `{name}`, which is not a named group of `pattern`"
            ));
        }
    }
    if spec.shown.iter().any(|n| n == "secret") {
        return Err("`shown` names `secret`: the secret itself is never shown".into());
    }
    if let Some(v) = &spec.validation {
        validate_recipe(v)?;
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
    if let Some(bad) = spec.references.iter().find(|r| {
        !r.starts_with("https://") || r.len() > 2048 || r.chars().any(char::is_whitespace)
    }) {
        return Err(format!(
            "`references` must be https:// URLs without blanks; this one is not: {}",
            bad.chars().take(80).collect::<String>()
        ));
    }
    if spec.examples.is_empty() {
        return Err("`examples` must hold at least one string the rule matches".into());
    }
    if *trust == Trust::Builtin
        && (spec.examples.len() < BUILTIN_MIN_EXAMPLES
            || spec.negative_examples.len() < BUILTIN_MIN_NEGATIVE_EXAMPLES)
    {
        return Err(format!(
            "a built-in rule needs at least {BUILTIN_MIN_EXAMPLES} `examples` and \
             {BUILTIN_MIN_NEGATIVE_EXAMPLES} `negative_examples` (it has {} and {})",
            spec.examples.len(),
            spec.negative_examples.len()
        ));
    }
    Ok(())
}

/// What a recipe's kind allows: a coded validator builds its own request,
/// so HTTP fields on it would be silently ignored; an `http` one needs a URL,
/// and `broad` scopes need a place to read scopes from.
fn validate_recipe(v: &ValidationRecipe) -> Result<(), String> {
    match v.kind {
        ValidationKind::Http => {
            if v.url.is_empty() {
                return Err("`validation`: an `http` recipe needs a `url`".into());
            }
            if !v.broad.is_empty() && v.scopes_header.is_none() && v.scopes_json.is_none() {
                return Err(
                    "`validation`: `broad` needs `scopes_header` or `scopes_json` to read scopes from"
                        .into(),
                );
            }
        }
        kind => {
            let set = v.http_fields_set();
            if !set.is_empty() {
                return Err(format!(
                    "`validation`: kind `{kind}` builds its own request; `{}` is only for `http` recipes",
                    set.join("`, `")
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"[[rules]]
id = "acme-key"
name = "Acme key"
provider = "acme"
keywords = ["acme_"]
pattern = '\b(?:(?P<user>[a-z]+):)?(?P<secret>acme_[a-z0-9]{16})\b'
lifetime = "static"
severity = "high"
examples = ["k = acme_q8x2lm9v4b7n1z3w"]
"#;

    fn load(text: &str, trust: Trust) -> Result<RuleSet, Error> {
        let mut set = RuleSet::empty();
        let patterns = if trust == Trust::Builtin {
            Patterns::Trusted
        } else {
            Patterns::Parse
        };
        set.add(text, "rules/acme.toml", patterns, trust)?;
        Ok(set)
    }

    #[test]
    fn a_provider_prefix_or_checksum_makes_a_rule_high_confidence() {
        let set = RuleSet::embedded().expect("embedded rules load");
        let conf = |id: &str| {
            set.rules()
                .iter()
                .find(|r| r.id() == id)
                .map(|r| r.spec.confidence())
                .unwrap_or_else(|| panic!("no rule {id}"))
        };
        assert_eq!(conf("github-pat"), Confidence::High);
        assert_eq!(conf("aws-access-key-id"), Confidence::High);
        assert_eq!(conf("slack-bot-token"), Confidence::High);
        assert_eq!(conf("generic-password"), Confidence::Medium);
        let acme = load(RULE, Trust::User).expect("loads");
        assert_eq!(acme.rules()[0].spec.confidence(), Confidence::High);
        let bare = RULE.replace("(?P<secret>acme_", "(?P<secret>[a-z_]{5}");
        let bare = load(&bare, Trust::User).expect("loads");
        assert_eq!(bare.rules()[0].spec.confidence(), Confidence::Medium);
    }

    fn message(e: Error) -> String {
        match e {
            Error::Rule {
                file,
                rule,
                message,
            } => {
                assert_eq!(file, "rules/acme.toml");
                assert_eq!(rule.as_deref(), Some("acme-key"));
                message
            }
            other => panic!("not a rule error: {other}"),
        }
    }

    #[test]
    fn a_built_in_rule_needs_two_examples_and_a_negative_one_a_user_rule_one_example() {
        assert!(load(RULE, Trust::User).is_ok());
        let err = message(load(RULE, Trust::Builtin).expect_err("one example"));
        assert!(err.contains("at least 2 `examples`"), "{err}");
        let two = RULE.replace(
            "examples = [\"k = acme_q8x2lm9v4b7n1z3w\"]",
            "examples = [\"k = acme_q8x2lm9v4b7n1z3w\", \"acme_x8x2lm9v4b7n1z3w\"]",
        );
        let err = message(load(&two, Trust::Builtin).expect_err("no negative"));
        assert!(err.contains("1 `negative_examples`"), "{err}");
        let enough = format!("{two}negative_examples = [\"acme_short\"]\n");
        assert!(load(&enough, Trust::Builtin).is_ok());
    }

    #[test]
    fn every_embedded_rule_has_the_documented_examples() {
        let set = RuleSet::embedded().expect("embedded rules load");
        for r in set.rules() {
            assert!(
                r.spec.examples.len() >= BUILTIN_MIN_EXAMPLES
                    && r.spec.negative_examples.len() >= BUILTIN_MIN_NEGATIVE_EXAMPLES,
                "{}",
                r.spec.id
            );
        }
    }

    #[test]
    fn a_recipe_holds_only_what_its_kind_reads() {
        let with = |v: &str| format!("{RULE}[rules.validation]\n{v}\n");
        assert!(load(&with("kind = \"aws\""), Trust::User).is_ok());
        let err = message(
            load(
                &with("kind = \"aws\"\nurl = \"https://x.test/\""),
                Trust::User,
            )
            .expect_err("aws with a url"),
        );
        assert!(err.contains("`url`"), "{err}");
        let err = message(load(&with("live_status = [200]"), Trust::User).expect_err("no url"));
        assert!(err.contains("needs a `url`"), "{err}");
        let err = message(
            load(
                &with("url = \"https://x.test/\"\nbroad = [\"admin\"]"),
                Trust::User,
            )
            .expect_err("broad without scopes"),
        );
        assert!(err.contains("scopes_json"), "{err}");
        let ok = with("url = \"https://x.test/\"\nscopes_json = \"/scopes\"\nbroad = [\"admin\"]");
        assert!(load(&ok, Trust::User).is_ok());
    }

    #[test]
    fn shown_names_a_capture_of_the_pattern_and_never_the_secret() {
        let shown = |list: &str| RULE.replace("lifetime =", &format!("shown = {list}\nlifetime ="));
        let set = load(&shown("[\"user\"]"), Trust::User).expect("user is a group");
        assert!(set.rules()[0].spec.shows("user"));
        assert!(!set.rules()[0].spec.shows("secret"));
        let err = message(load(&shown("[\"host\"]"), Trust::User).expect_err("no such group"));
        assert!(err.contains("`host`"), "{err}");
        let err = message(load(&shown("[\"secret\"]"), Trust::User).expect_err("the secret"));
        assert!(err.contains("never shown"), "{err}");
        let companion = format!(
            "{RULE}[[rules.companions]]\nname = \"account\"\npattern = 'acct=(?P<value>[a-z]+)'\nshown = true\n"
        );
        let set = load(&companion, Trust::User).expect("companion");
        assert!(set.rules()[0].spec.shows("account"));
        assert!(!set.rules()[0].spec.shows("user"));
    }

    #[test]
    fn broad_scopes_match_exactly_by_prefix_or_by_suffix() {
        let recipe = ValidationRecipe {
            broad: vec!["repo".into(), "admin*".into(), "*:write".into(), "*".into()],
            ..ValidationRecipe::default()
        };
        for scope in ["repo", "REPO", "admin", "admin:org", "org:write", "*"] {
            assert!(recipe.is_broad(scope), "{scope}");
        }
        for scope in ["public_repo", "read:org", "repo:status", "write", "x"] {
            assert!(!recipe.is_broad(scope), "{scope}");
        }
        assert!(!ValidationRecipe::default().is_broad("admin"));
    }

    #[test]
    fn names_round_trip_and_the_docs_list_every_one() {
        let docs = include_str!("../../docs/rules.md");
        let names = Checksum::ALL
            .iter()
            .map(|c| (c.name(), serde_json::to_value(c)))
            .chain(Tag::ALL.iter().map(|t| (t.name(), serde_json::to_value(t))))
            .chain(
                ValidationKind::ALL
                    .iter()
                    .map(|k| (k.name(), serde_json::to_value(k))),
            );
        for (name, json) in names {
            assert_eq!(json.expect("serializes"), serde_json::json!(name));
            assert!(
                docs.contains(&format!("`{name}`")),
                "docs/rules.md lacks `{name}`"
            );
        }
        assert_eq!(
            ValidationKind::try_from("aws".to_string()),
            Ok(ValidationKind::Aws)
        );
        let err = Checksum::try_from("crc\n".to_string()).expect_err("unknown");
        assert!(
            err.contains("crc\\n") && err.contains("github-crc32"),
            "{err}"
        );
    }
}
