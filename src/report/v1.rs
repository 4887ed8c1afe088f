//! The JSON report, version 1: the contract `-f json`, `-f jsonl` and
//! `--baseline` speak, as its own types.
//!
//! The internal model (`findings::Finding`, `report::Report`, the analysis
//! posture) is free to change; these types are not. They are built from
//! the internal ones ([`From<&Report>`]), serialised for the JSON formats
//! and deserialised by the baseline, and `docs/schema/report-v1.json` is
//! generated from them (`keysprawl report-schema`).
//!
//! # Evolving the contract
//!
//! Within v1 a field may be *added*, never renamed, retyped or removed. A
//! new field is optional for readers: give it `#[serde(default,
//! skip_serializing_if = "…")]` so reports without it still parse and
//! reports that do not need it stay as they were. Field order is the
//! output order; keep new fields after the ones that exist. Strings that
//! name a kind (`severity`, `validation.status`, `credential.lifetime`,
//! `fingerprint_key`) are closed enums here; the CI system, CI issue kind
//! and location source are open strings, since sources and audits are
//! plug-ins that add values. `version` is `1` for every report of this
//! shape; an incompatible shape would be version 2 with its own module.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::ci::CiIssue;
use crate::analysis::{Posture, PostureItem};
use crate::findings::{
    CiLocation, Credential, Finding, FingerprintKey, Lifetime, Location, Part, Reuse, RuleRef,
    Validation, ValidationStatus,
};
use crate::report::{Report, Summary};
use crate::rules::Severity;
use crate::scan::ScanError;

/// The `$id` of the schema (`docs/schema/report-v1.json`).
pub const SCHEMA_ID: &str = "https://keysprawl.dev/schema/report-v1.json";

/// The JSON Schema (draft 2020-12) of a v1 report, as committed in
/// `docs/schema/report-v1.json`, pretty-printed with a final newline.
pub fn schema_json() -> String {
    let mut schema = schemars::schema_for!(V1Report);
    schema.insert("$id".into(), SCHEMA_ID.into());
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// A whole report (`-f json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "keysprawl JSON report, version 1")]
pub struct V1Report {
    /// The contract version: `1`.
    pub version: u32,
    pub tool: V1Tool,
    /// One entry per credential (rule and secret value), most urgent first.
    pub findings: Vec<V1Finding>,
    pub summary: V1Summary,
    /// The just-in-time view: static vs ephemeral, live, removed-but-live,
    /// reuse, CI.
    #[serde(default)]
    pub posture: V1Posture,
    /// How pipelines get their credentials.
    #[serde(default)]
    pub ci: Vec<V1CiIssue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Tool {
    /// `keysprawl`.
    pub name: String,
    /// The version of keysprawl that wrote the report.
    pub version: String,
}

/// One credential: a (rule, secret) pair with the places it was seen at
/// (`-f jsonl` writes one per line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Finding {
    pub rule: V1Rule,
    /// HMAC-SHA256 of the secret, 64 hex digits: what a baseline matches.
    pub fingerprint: String,
    /// Which key made `fingerprint`.
    #[serde(default)]
    pub fingerprint_key: V1FingerprintKey,
    /// The secret, redacted unless `--show-secrets`.
    pub secret: String,
    pub severity: V1Severity,
    /// How sure this is a real credential: `high` (a checksum or provider
    /// format proves it, or validation found it live), `medium` (a specific
    /// format, or a generic value in a strong context), `low` (weak evidence).
    #[serde(default = "medium")]
    pub confidence: V1Confidence,
    /// The most production-like kind of file the secret is in.
    #[serde(default = "code")]
    pub context: V1Context,
    pub validation: V1Validation,
    pub credential: V1Credential,
    pub reuse: V1Reuse,
    /// At most `KEYSPRAWL_MAX_LOCATIONS` (default 1000) of them.
    pub locations: Vec<V1Location>,
    /// Locations seen but not listed in `locations`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub locations_omitted: usize,
    /// Files holding the secret where no listed location is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted_paths: Vec<String>,
    /// Other parts of a multi-part credential, redacted like the secret
    /// unless they only describe where it belongs (a host, a user name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<V1Part>,
    /// OWASP Non-Human Identity Top 10 (2025) ids this finding evidences.
    #[serde(default)]
    pub nhi: Vec<String>,
    /// 0–100: how urgently to fix this.
    #[serde(default)]
    pub risk: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Rule {
    pub id: String,
    pub name: String,
    pub provider: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where or how to revoke a credential of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum V1FingerprintKey {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum V1Confidence {
    Low,
    Medium,
    High,
}

fn medium() -> V1Confidence {
    V1Confidence::Medium
}

/// The kind of file: test suites and fixtures, docs and samples, build
/// files, CI configuration, configuration, or source code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum V1Context {
    Test,
    Example,
    Build,
    Ci,
    Config,
    Code,
}

fn code() -> V1Context {
    V1Context::Code
}

impl From<crate::rules::Confidence> for V1Confidence {
    fn from(c: crate::rules::Confidence) -> V1Confidence {
        match c {
            crate::rules::Confidence::Low => V1Confidence::Low,
            crate::rules::Confidence::Medium => V1Confidence::Medium,
            crate::rules::Confidence::High => V1Confidence::High,
        }
    }
}

impl From<crate::origin::Context> for V1Context {
    fn from(c: crate::origin::Context) -> V1Context {
        use crate::origin::Context as C;
        match c {
            C::Test => V1Context::Test,
            C::Example => V1Context::Example,
            C::Build => V1Context::Build,
            C::Ci => V1Context::Ci,
            C::Config => V1Context::Config,
            C::Code => V1Context::Code,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum V1Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Validation {
    pub status: V1ValidationStatus,
    /// What the check saw (never the secret).
    pub detail: String,
    /// Who the credential authenticates as, when the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overprivileged: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum V1ValidationStatus {
    /// The provider accepted it.
    Live,
    /// The provider refused it.
    Revoked,
    /// No validator for this rule, or an answer that says neither.
    Unknown,
    /// The check could not run to an answer (network, rate limit, deadline).
    Error,
    /// Validation was not requested.
    NotChecked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum V1Lifetime {
    Static,
    Ephemeral,
    Expired,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Credential {
    pub lifetime: V1Lifetime,
    pub expires_at: Option<String>,
    pub first_seen: Option<String>,
    pub exposure_days: Option<i64>,
    /// Latest date a commit introduced it (history scans).
    #[serde(default)]
    pub last_seen: Option<String>,
    /// Still present at HEAD or in the work tree somewhere.
    #[serde(default)]
    pub present_at_head: Option<bool>,
    /// When it was last removed from a path (if no longer at HEAD).
    #[serde(default)]
    pub removed_at: Option<String>,
    /// Removed from HEAD but validation says it still works.
    #[serde(default)]
    pub removed_but_live: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Reuse {
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

/// One place a secret was seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Location {
    pub repo: Option<String>,
    pub path: String,
    /// 1-based; 0 when the place has no lines (e.g. a whole object).
    pub line: u64,
    pub column: u64,
    /// Where it came from: `file`, `git`, `staged`, `stdin`, `ci`, …
    pub source: String,
    pub commit: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub present_at_head: Option<bool>,
    /// The kind of git object when not a file's blob (e.g. `commit-message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The chain of encodings the secret was decoded from at this place
    /// (outermost first, e.g. `base64 → percent`); absent where it is
    /// written plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The CI system, job and step, for locations in CI configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<V1CiLocation>,
    /// What kind of file this is: `test`, `example`, `build`, `ci`,
    /// `config` or `code`.
    #[serde(default = "code")]
    pub context: V1Context,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1CiLocation {
    /// `github_actions`, `gitlab`, `circleci`, `azure_pipelines`, …
    pub system: String,
    pub job: Option<String>,
    pub step: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1Part {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct V1Summary {
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
    /// Problems with single inputs that did not stop the scan.
    pub errors: Vec<V1ScanError>,
    /// Files skipped because they look binary.
    #[serde(default)]
    pub binary_skipped: u64,
    /// FIFOs, sockets and devices that were not opened.
    #[serde(default)]
    pub special_skipped: u64,
    /// Archive members handed to the matcher (zip, jar, tar, gzip…); each
    /// archive itself counts once in `files_scanned` or `blobs_scanned`,
    /// and its members' decoded bytes are in `bytes_scanned`.
    #[serde(default)]
    pub archive_members: u64,
    /// Locations dropped by the baseline or allowlists.
    #[serde(default)]
    pub suppressed: usize,
    /// Findings below `--min-confidence`, not listed (see `confidence`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub below_min_confidence: usize,
    /// Findings below `--min-severity`, not listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub below_min_severity: usize,
    /// Things worth knowing about the scan (e.g. a shallow repository).
    #[serde(default)]
    pub notes: Vec<String>,
    /// How many rules ran.
    #[serde(default)]
    pub rules: usize,
    #[serde(default)]
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1ScanError {
    /// The file, object id or repository the problem is with.
    pub target: String,
    pub message: String,
}

/// The static-credential posture: what undermines just-in-time access.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct V1Posture {
    pub credentials: usize,
    #[serde(rename = "static")]
    pub static_: usize,
    pub ephemeral: usize,
    pub expired: usize,
    pub unknown_lifetime: usize,
    pub live: usize,
    pub live_static: usize,
    pub removed_but_live: usize,
    pub reused: usize,
    pub in_ci_and_code: usize,
    pub overprivileged: usize,
    /// Pipeline files feeding long-lived cloud keys from a secret store.
    pub pipelines_with_stored_cloud_keys: usize,
    pub shared_ci_secrets: usize,
    pub untrusted_code_exposures: usize,
    /// Every CI audit's id with what its posture line counts (pipeline
    /// files or issues; see `docs/ci-audits.md`), zeros included.
    #[serde(default)]
    pub ci_audits: BTreeMap<String, usize>,
    pub oldest_exposures: Vec<V1PostureItem>,
    pub most_reused: Vec<V1PostureItem>,
    /// How many findings and CI issues evidence each OWASP NHI id.
    pub nhi: BTreeMap<String, usize>,
}

/// One line of a posture "top" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1PostureItem {
    pub rule: String,
    /// The first 16 hex digits of the finding's fingerprint.
    pub fingerprint: String,
    pub secret: String,
    pub first_seen: Option<String>,
    pub exposure_days: Option<i64>,
    pub locations: usize,
    pub files: usize,
    pub repos: usize,
    /// The first place it was seen, as a person reads it.
    #[serde(rename = "where")]
    pub where_: String,
}

/// A finding about how a pipeline gets its credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct V1CiIssue {
    /// `static_cloud_credentials`, `shared_secret`,
    /// `secrets_exposed_to_untrusted_code`, …
    pub kind: String,
    /// `github_actions`, `gitlab`, `circleci`, …
    pub system: String,
    pub repo: Option<String>,
    pub path: String,
    /// 1-based; 0 when the issue is about the file as a whole.
    pub line: usize,
    /// 1-based, in characters; 0 with line 0.
    #[serde(default)]
    pub column: usize,
    /// The YAML key path of what the issue points at, e.g.
    /// `jobs.deploy.steps[1].with.aws-access-key-id` (sequence indexes are
    /// 0-based); absent for text-scanned files and cross-file issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    pub job: Option<String>,
    pub step: Option<String>,
    pub title: String,
    /// What to use instead, with a short example.
    pub instead: String,
    /// Names of the stored secrets involved (never their values).
    pub secrets: Vec<String>,
    pub nhi: Vec<String>,
}

/// A report written as a [`V1Report`] without building one: each finding
/// is converted as it is written, so writing a large report does not hold
/// a second copy of it. Serialises exactly as `V1Report::from(report)`.
pub struct V1ReportRef<'a>(pub &'a Report);

impl Serialize for V1ReportRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let r = self.0;
        let mut st = s.serialize_struct("V1Report", 6)?;
        st.serialize_field("version", &r.version)?;
        st.serialize_field(
            "tool",
            &V1Tool {
                name: r.tool.name.clone(),
                version: r.tool.version.clone(),
            },
        )?;
        st.serialize_field("findings", &Each::<_, V1Finding>::new(&r.findings))?;
        st.serialize_field("summary", &V1Summary::from(&r.summary))?;
        st.serialize_field("posture", &V1Posture::from(&r.posture))?;
        st.serialize_field("ci", &Each::<_, V1CiIssue>::new(&r.ci))?;
        st.end()
    }
}

/// A slice of internal items written as a sequence of their contract form.
struct Each<'a, T, U> {
    items: &'a [T],
    _as: std::marker::PhantomData<U>,
}

impl<'a, T, U> Each<'a, T, U> {
    fn new(items: &'a [T]) -> Self {
        Each {
            items,
            _as: std::marker::PhantomData,
        }
    }
}

impl<'a, T, U: From<&'a T> + Serialize> Serialize for Each<'a, T, U> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(U::from))
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The name serde gives a unit variant (`CiSystem::GithubActions` →
/// `github_actions`): the open string the contract carries.
fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl From<&Report> for V1Report {
    fn from(r: &Report) -> V1Report {
        V1Report {
            version: r.version,
            tool: V1Tool {
                name: r.tool.name.clone(),
                version: r.tool.version.clone(),
            },
            findings: r.findings.iter().map(V1Finding::from).collect(),
            summary: V1Summary::from(&r.summary),
            posture: V1Posture::from(&r.posture),
            ci: r.ci.iter().map(V1CiIssue::from).collect(),
        }
    }
}

impl From<&Finding> for V1Finding {
    fn from(f: &Finding) -> V1Finding {
        V1Finding {
            rule: V1Rule::from(&f.rule),
            fingerprint: f.fingerprint.clone(),
            fingerprint_key: f.fingerprint_key.into(),
            secret: f.secret.clone(),
            severity: f.severity.into(),
            confidence: f.confidence.into(),
            context: f.context.into(),
            validation: V1Validation::from(&f.validation),
            credential: V1Credential::from(&f.credential),
            reuse: V1Reuse::from(&f.reuse),
            locations: f.locations.iter().map(V1Location::from).collect(),
            locations_omitted: f.locations_omitted,
            omitted_paths: f.omitted_paths.clone(),
            parts: f.parts.iter().map(V1Part::from).collect(),
            nhi: f.nhi.clone(),
            risk: f.risk,
        }
    }
}

impl From<&RuleRef> for V1Rule {
    fn from(r: &RuleRef) -> V1Rule {
        V1Rule {
            id: r.id.clone(),
            name: r.name.clone(),
            provider: r.provider.clone(),
            description: r.description.clone(),
            revoke: r.revoke.clone(),
        }
    }
}

impl From<FingerprintKey> for V1FingerprintKey {
    fn from(k: FingerprintKey) -> V1FingerprintKey {
        match k {
            FingerprintKey::Public => V1FingerprintKey::Public,
            FingerprintKey::Env => V1FingerprintKey::Env,
            FingerprintKey::Local => V1FingerprintKey::Local,
            FingerprintKey::Run => V1FingerprintKey::Run,
        }
    }
}

impl From<Severity> for V1Severity {
    fn from(s: Severity) -> V1Severity {
        match s {
            Severity::Info => V1Severity::Info,
            Severity::Low => V1Severity::Low,
            Severity::Medium => V1Severity::Medium,
            Severity::High => V1Severity::High,
            Severity::Critical => V1Severity::Critical,
        }
    }
}

impl From<ValidationStatus> for V1ValidationStatus {
    fn from(s: ValidationStatus) -> V1ValidationStatus {
        match s {
            ValidationStatus::Live => V1ValidationStatus::Live,
            ValidationStatus::Revoked => V1ValidationStatus::Revoked,
            ValidationStatus::Unknown => V1ValidationStatus::Unknown,
            ValidationStatus::Error => V1ValidationStatus::Error,
            ValidationStatus::NotChecked => V1ValidationStatus::NotChecked,
        }
    }
}

impl From<Lifetime> for V1Lifetime {
    fn from(l: Lifetime) -> V1Lifetime {
        match l {
            Lifetime::Static => V1Lifetime::Static,
            Lifetime::Ephemeral => V1Lifetime::Ephemeral,
            Lifetime::Expired => V1Lifetime::Expired,
            Lifetime::Unknown => V1Lifetime::Unknown,
        }
    }
}

impl From<&Validation> for V1Validation {
    fn from(v: &Validation) -> V1Validation {
        V1Validation {
            status: v.status.into(),
            detail: v.detail.clone(),
            identity: v.identity.clone(),
            permissions: v.permissions.clone(),
            overprivileged: v.overprivileged,
        }
    }
}

impl From<&Credential> for V1Credential {
    fn from(c: &Credential) -> V1Credential {
        V1Credential {
            lifetime: c.lifetime.into(),
            expires_at: c.expires_at.clone(),
            first_seen: c.first_seen.clone(),
            exposure_days: c.exposure_days,
            last_seen: c.last_seen.clone(),
            present_at_head: c.present_at_head,
            removed_at: c.removed_at.clone(),
            removed_but_live: c.removed_but_live,
        }
    }
}

impl From<&Reuse> for V1Reuse {
    fn from(r: &Reuse) -> V1Reuse {
        V1Reuse {
            locations: r.locations,
            files: r.files,
            repos: r.repos,
            reused: r.reused,
            in_ci: r.in_ci,
            in_code: r.in_code,
        }
    }
}

impl From<&Location> for V1Location {
    fn from(l: &Location) -> V1Location {
        V1Location {
            repo: l.repo.clone(),
            path: l.path.clone(),
            line: l.line,
            column: l.column,
            source: l.source.clone(),
            commit: l.commit.clone(),
            author: l.author.clone(),
            date: l.date.clone(),
            present_at_head: l.present_at_head,
            object: l.object.clone(),
            encoding: l.encoding.clone(),
            ci: l.ci.as_ref().map(V1CiLocation::from),
            context: l.context.into(),
        }
    }
}

impl From<&CiLocation> for V1CiLocation {
    fn from(c: &CiLocation) -> V1CiLocation {
        V1CiLocation {
            system: serde_name(&c.system),
            job: c.job.clone(),
            step: c.step.clone(),
        }
    }
}

impl From<&Part> for V1Part {
    fn from(p: &Part) -> V1Part {
        V1Part {
            name: p.name.clone(),
            value: p.value.clone(),
        }
    }
}

impl From<&Summary> for V1Summary {
    fn from(s: &Summary) -> V1Summary {
        V1Summary {
            files_scanned: s.files_scanned,
            blobs_scanned: s.blobs_scanned,
            commits_scanned: s.commits_scanned,
            bytes_scanned: s.bytes_scanned,
            findings: s.findings,
            live: s.live,
            static_: s.static_,
            reused: s.reused,
            errors: s.errors.iter().map(V1ScanError::from).collect(),
            binary_skipped: s.binary_skipped,
            special_skipped: s.special_skipped,
            archive_members: s.archive_members,
            suppressed: s.suppressed,
            below_min_confidence: s.below_min_confidence,
            below_min_severity: s.below_min_severity,
            notes: s.notes.clone(),
            rules: s.rules,
            duration_ms: s.duration_ms,
        }
    }
}

impl From<&ScanError> for V1ScanError {
    fn from(e: &ScanError) -> V1ScanError {
        V1ScanError {
            target: e.target.clone(),
            message: e.message.clone(),
        }
    }
}

impl From<&Posture> for V1Posture {
    fn from(p: &Posture) -> V1Posture {
        V1Posture {
            credentials: p.credentials,
            static_: p.static_,
            ephemeral: p.ephemeral,
            expired: p.expired,
            unknown_lifetime: p.unknown_lifetime,
            live: p.live,
            live_static: p.live_static,
            removed_but_live: p.removed_but_live,
            reused: p.reused,
            in_ci_and_code: p.in_ci_and_code,
            overprivileged: p.overprivileged,
            pipelines_with_stored_cloud_keys: p.pipelines_with_stored_cloud_keys,
            shared_ci_secrets: p.shared_ci_secrets,
            untrusted_code_exposures: p.untrusted_code_exposures,
            ci_audits: p.ci_audits.clone(),
            oldest_exposures: p.oldest_exposures.iter().map(V1PostureItem::from).collect(),
            most_reused: p.most_reused.iter().map(V1PostureItem::from).collect(),
            nhi: p.nhi.clone(),
        }
    }
}

impl From<&PostureItem> for V1PostureItem {
    fn from(i: &PostureItem) -> V1PostureItem {
        V1PostureItem {
            rule: i.rule.clone(),
            fingerprint: i.fingerprint.clone(),
            secret: i.secret.clone(),
            first_seen: i.first_seen.clone(),
            exposure_days: i.exposure_days,
            locations: i.locations,
            files: i.files,
            repos: i.repos,
            where_: i.where_.clone(),
        }
    }
}

impl From<&CiIssue> for V1CiIssue {
    fn from(i: &CiIssue) -> V1CiIssue {
        V1CiIssue {
            kind: serde_name(&i.kind),
            system: serde_name(&i.system),
            repo: i.repo.clone(),
            path: i.path.clone(),
            line: i.line,
            column: i.column,
            keys: i.keys.clone(),
            job: i.job.clone(),
            step: i.step.clone(),
            title: i.title.clone(),
            instead: i.instead.clone(),
            secrets: i.secrets.clone(),
            nhi: i.nhi.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report that sets every optional field once and leaves it unset
    /// once, read through the internal types' own serde derives.
    fn realistic() -> Report {
        let finding = |secret: &str, full: bool| {
            let mut f = serde_json::json!({
                "rule": {"id": "aws-access-key", "name": "AWS access key", "provider": "aws"},
                "fingerprint": "ab".repeat(32),
                "fingerprint_key": "env",
                "secret": secret,
                "severity": "critical",
                "validation": {"status": "not_checked", "detail": "validation not requested"},
                "credential": {
                    "lifetime": "static", "expires_at": null, "first_seen": null,
                    "exposure_days": null, "last_seen": null, "present_at_head": null,
                    "removed_at": null, "removed_but_live": false
                },
                "reuse": {"locations": 1, "files": 1, "repos": 1, "reused": false, "in_ci": false, "in_code": true},
                "locations": [{
                    "repo": null, "path": "a.env", "line": 1, "column": 5, "source": "file",
                    "commit": null, "author": null, "date": null, "present_at_head": null
                }],
                "nhi": [],
                "risk": 40
            });
            if full {
                f["rule"]["description"] = "An IAM user's long-lived key.".into();
                f["rule"]["revoke"] = "https://console.aws.amazon.com/iam".into();
                f["validation"] = serde_json::json!({
                    "status": "live", "detail": "sts:GetCallerIdentity answered 200",
                    "identity": "arn:aws:iam::123456789012:user/ci", "permissions": ["iam:*"],
                    "overprivileged": true
                });
                f["credential"] = serde_json::json!({
                    "lifetime": "expired", "expires_at": "2020-09-13T13:26:40Z",
                    "first_seen": "2023-01-02T03:04:05Z", "exposure_days": 700,
                    "last_seen": "2024-01-02T03:04:05Z", "present_at_head": false,
                    "removed_at": "2024-02-02T03:04:05Z", "removed_but_live": true
                });
                f["reuse"] = serde_json::json!({"locations": 3, "files": 2, "repos": 2, "reused": true, "in_ci": true, "in_code": true});
                f["locations"] = serde_json::json!([
                    {"repo": "svc", "path": ".github/workflows/d.yml", "line": 9, "column": 18,
                     "source": "ci", "commit": "0123456789abcdef0123456789abcdef01234567",
                     "author": "Alice Example <alice@corp.test>", "date": "2024-01-02T03:04:05Z",
                     "present_at_head": true,
                     "ci": {"system": "github_actions", "job": "deploy", "step": null}},
                    {"repo": "svc", "path": "COMMIT", "line": 0, "column": 0, "source": "git",
                     "commit": "89abcdef0123456789abcdef0123456789abcdef", "author": null,
                     "date": null, "present_at_head": false, "object": "commit-message"}
                ]);
                f["locations_omitted"] = 1.into();
                f["omitted_paths"] = serde_json::json!(["b.env"]);
                f["parts"] = serde_json::json!([{"name": "id", "value": "AKIA************MPLE"}]);
                f["nhi"] = serde_json::json!(["NHI2", "NHI7"]);
            }
            serde_json::from_value::<Finding>(f).expect("internal finding")
        };
        let ci: CiIssue = serde_json::from_value(serde_json::json!({
            "kind": "static_cloud_credentials", "system": "gitlab", "repo": null,
            "path": ".gitlab-ci.yml", "line": 4, "job": "deploy", "step": null,
            "title": "static AWS keys", "instead": "Use OIDC", "secrets": ["PROD_AWS_KEY"],
            "nhi": ["NHI7"]
        }))
        .expect("internal ci issue");
        let summary = Summary {
            files_scanned: 3,
            bytes_scanned: 1234,
            errors: vec![ScanError {
                target: "x.bin".into(),
                message: "unreadable".into(),
            }],
            notes: vec!["a shallow repository".into()],
            rules: 341,
            duration_ms: 17,
            ..Summary::default()
        };
        let findings = vec![finding("********", false), finding("AKIA****MPLE", true)];
        Report::new(findings, vec![ci], summary)
    }

    /// While the internal types still derive `Serialize`, the contract must
    /// print exactly what they print: this is the check that the DTO froze
    /// the JSON as it was. A field added to an internal type that should be
    /// in the report fails here until it is added to the contract too.
    #[test]
    fn the_contract_prints_what_the_internal_model_printed() {
        let report = realistic();
        assert!(!report.posture.nhi.is_empty() && !report.posture.oldest_exposures.is_empty());
        let old = serde_json::to_string_pretty(&report).expect("old");
        let new = serde_json::to_string_pretty(&V1Report::from(&report)).expect("new");
        assert_eq!(old, new);
        let streamed = serde_json::to_string_pretty(&V1ReportRef(&report)).expect("streamed");
        assert_eq!(streamed, new);
        let empty = Report::new(Vec::new(), Vec::new(), Summary::default());
        assert_eq!(
            serde_json::to_string_pretty(&V1ReportRef(&empty)).expect("streamed"),
            serde_json::to_string_pretty(&empty).expect("old")
        );
        for f in &report.findings {
            let old = serde_json::to_string(f).expect("old");
            let new = serde_json::to_string(&V1Finding::from(f)).expect("new");
            assert_eq!(old, new);
        }
    }

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        let v1 = V1Report::from(&realistic());
        let text = serde_json::to_string_pretty(&v1).expect("write");
        let back: V1Report = serde_json::from_str(&text).expect("read");
        assert_eq!(back, v1);
    }
}
