//! What an audit reports: [`CiIssue`], the YAML key path it points at, and
//! the one builder every audit makes its issues with.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::yaml::Node;
use super::{CiAudit, CiSystem, ParsedDoc};

/// Which audit an issue comes from: the audit's id (`static_cloud_credentials`
/// …), serialised as that string. Reading one back accepts only ids in the
/// [registry](super::registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CiIssueKind(&'static str);

#[allow(non_upper_case_globals)]
impl CiIssueKind {
    /// Long-lived cloud keys from the CI secret store where OIDC would do.
    pub const StaticCloudCredentials: CiIssueKind =
        CiIssueKind(super::audits::static_cloud_credentials::ID);
    /// One stored secret name fed to many pipelines.
    pub const SharedSecret: CiIssueKind = CiIssueKind(super::audits::shared_secret::ID);
    /// Secrets in scope of a job that runs untrusted pull-request code.
    pub const SecretsExposedToUntrustedCode: CiIssueKind =
        CiIssueKind(super::audits::secrets_exposed_to_untrusted_code::ID);

    /// The kind of the registered audit with this id.
    pub fn of(id: &str) -> Option<CiIssueKind> {
        super::audit_by_id(id).map(|a| CiIssueKind(a.id()))
    }
    pub fn as_str(self) -> &'static str {
        self.0
    }
    /// The audit that reports this kind.
    pub fn audit(self) -> Option<&'static dyn CiAudit> {
        super::audit_by_id(self.0)
    }
}

impl fmt::Display for CiIssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for CiIssueKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for CiIssueKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        CiIssueKind::of(&id).ok_or_else(|| serde::de::Error::custom("unknown CI audit id"))
    }
}

/// A finding about how a pipeline gets its credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CiIssue {
    pub kind: CiIssueKind,
    pub system: CiSystem,
    pub repo: Option<String>,
    pub path: String,
    /// 1-based; 0 when the issue is about the file as a whole.
    pub line: usize,
    /// 1-based, in characters; 0 with line 0.
    #[serde(default)]
    pub column: usize,
    /// The YAML key path of what the issue points at, e.g.
    /// `jobs.deploy.steps[1].with.aws-access-key-id` (sequence indexes are
    /// 0-based); none for text-scanned files and cross-file issues.
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

/// Where in a CI file a line sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiPlace {
    pub job: Option<String>,
    pub step: Option<String>,
}

/// One step of a YAML key path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A path of mapping keys and sequence indexes from a document's root,
/// shown as `jobs.build.steps[2].env.AWS_SECRET_ACCESS_KEY`. A key that is
/// empty or holds `.`, `[`, `]`, quotes, spaces or controls is shown
/// quoted: `jobs["my job"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(Vec<Seg>);

impl KeyPath {
    pub fn root() -> KeyPath {
        KeyPath::default()
    }
    /// The path of `keys` below the root.
    pub fn of<'k>(keys: impl IntoIterator<Item = &'k str>) -> KeyPath {
        let mut p = KeyPath::root();
        for k in keys {
            p = p.key(k);
        }
        p
    }
    #[must_use]
    pub fn key(mut self, k: &str) -> KeyPath {
        self.0.push(Seg::Key(k.to_string()));
        self
    }
    #[must_use]
    pub fn index(mut self, i: usize) -> KeyPath {
        self.0.push(Seg::Index(i));
        self
    }
    pub(crate) fn push_key(&mut self, k: &str) {
        self.0.push(Seg::Key(k.to_string()));
    }
    pub(crate) fn push_index(&mut self, i: usize) {
        self.0.push(Seg::Index(i));
    }
    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && !k.chars().any(|c| {
            matches!(c, '.' | '[' | ']' | '"' | '\'' | '\\') || c.is_whitespace() || c.is_control()
        })
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(i) => write!(f, "[{i}]")?,
                Seg::Key(k) if plain_key(k) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => {
                    f.write_str("[\"")?;
                    for c in k.chars() {
                        match c {
                            '"' | '\\' => write!(f, "\\{c}")?,
                            c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                            c => write!(f, "{c}")?,
                        }
                    }
                    f.write_str("\"]")?;
                }
            }
        }
        Ok(())
    }
}

/// Builds one [`CiIssue`] for an audit in a document:
///
/// ```ignore
/// out.push(
///     IssueBuilder::new(self, doc)
///         .at(node)
///         .keys(step.path().key("env").key(name))
///         .job(job.id)
///         .step(step.name())
///         .title(format!("step env `{name}` comes from a stored secret"))
///         .secrets(names)
///         .build(),
/// );
/// ```
///
/// Title and "instead" default to the audit's; NHI ids always are the
/// audit's.
pub struct IssueBuilder {
    issue: CiIssue,
}

impl IssueBuilder {
    pub fn new(audit: &dyn CiAudit, doc: &ParsedDoc<'_>) -> IssueBuilder {
        let d = doc.document();
        IssueBuilder {
            issue: CiIssue {
                kind: CiIssueKind(audit.id()),
                system: d.system,
                repo: d.repo.clone(),
                path: d.path.clone(),
                line: 0,
                column: 0,
                keys: None,
                job: None,
                step: None,
                title: audit.title().to_string(),
                instead: audit.instead().to_string(),
                secrets: Vec::new(),
                nhi: audit.nhi().iter().map(|s| s.to_string()).collect(),
            },
        }
    }
    /// The issue starts where `node` does.
    #[must_use]
    pub fn at(self, node: &Node) -> IssueBuilder {
        self.line_col(node.line(), node.column())
    }
    /// A place found without the YAML tree (a text-scanned file).
    #[must_use]
    pub fn line_col(mut self, line: usize, column: usize) -> IssueBuilder {
        self.issue.line = line;
        self.issue.column = if line == 0 { 0 } else { column };
        self
    }
    #[must_use]
    pub fn keys(mut self, keys: KeyPath) -> IssueBuilder {
        self.issue.keys = (!keys.is_empty()).then(|| keys.to_string());
        self
    }
    #[must_use]
    pub fn job(mut self, job: &str) -> IssueBuilder {
        self.issue.job = Some(job.to_string());
        self
    }
    #[must_use]
    pub fn step(mut self, step: String) -> IssueBuilder {
        self.issue.step = Some(step);
        self
    }
    #[must_use]
    pub fn title(mut self, title: String) -> IssueBuilder {
        self.issue.title = title;
        self
    }
    #[must_use]
    pub fn instead(mut self, instead: &str) -> IssueBuilder {
        self.issue.instead = instead.to_string();
        self
    }
    #[must_use]
    pub fn secrets(mut self, names: impl IntoIterator<Item = String>) -> IssueBuilder {
        self.issue.secrets = names.into_iter().collect();
        self
    }
    pub fn build(self) -> CiIssue {
        self.issue
    }
}

/// Where audits put their issues.
#[derive(Debug, Default)]
pub struct IssueSink {
    issues: Vec<CiIssue>,
}

impl IssueSink {
    pub fn push(&mut self, issue: CiIssue) {
        self.issues.push(issue);
    }
    pub fn len(&self) -> usize {
        self.issues.len()
    }
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }
    pub(crate) fn into_issues(self) -> Vec<CiIssue> {
        self.issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_read_like_yq() {
        let p = KeyPath::of(["jobs", "build", "steps"])
            .index(2)
            .key("env")
            .key("AWS_SECRET_ACCESS_KEY");
        assert_eq!(
            p.to_string(),
            "jobs.build.steps[2].env.AWS_SECRET_ACCESS_KEY"
        );
        let odd = KeyPath::of(["jobs", "my.job", "aws-cli/setup", "say \"hi\"", ""]);
        assert_eq!(
            odd.to_string(),
            r#"jobs["my.job"].aws-cli/setup["say \"hi\""][""]"#
        );
        assert_eq!(KeyPath::root().index(0).key("env").to_string(), "[0].env");
    }
}
