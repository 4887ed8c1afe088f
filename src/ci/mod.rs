//! CI configuration audits: how pipelines get their credentials.
//!
//! Every audit is one type implementing [`CiAudit`], in its own file under
//! `audits/`, listed once in [`registry`]. [`ParsedDocs::new`] parses each CI
//! document once; the same parse serves the audits ([`ParsedDocs::audit`])
//! and the job/step attribution of findings ([`ParsedDocs::place`]). Audits
//! walk jobs and steps with the per-system helpers in `systems/`, and make
//! their issues with [`IssueBuilder`], which records line, column and YAML
//! key path. See `docs/ci-audits.md`.

pub mod audits;
pub mod issue;
pub mod systems;
pub mod yaml;

use std::collections::{BTreeSet, HashMap};

// The one place `ci` names another module: what a CI document is.
pub use crate::origin::{CiDocument, CiSystem};
pub use issue::{CiIssue, CiIssueKind, CiPlace, IssueBuilder, IssueSink, KeyPath};
pub use yaml::{Node, Pos, parse_yaml};

/// Every CI system, for audits that apply to all.
pub const ALL_SYSTEMS: &[CiSystem] = &[
    CiSystem::GithubActions,
    CiSystem::Gitlab,
    CiSystem::Circleci,
    CiSystem::AzurePipelines,
    CiSystem::BitbucketPipelines,
    CiSystem::Jenkins,
    CiSystem::Travis,
    CiSystem::Buildkite,
];

/// How much an audit's issues matter; SARIF's level and
/// `security-severity` come from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// What an audit's line in the posture counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Distinct pipeline files with at least one issue.
    Files,
    /// Issues.
    Issues,
}

/// An audit's entry in the posture summary: `label: count`.
#[derive(Debug, Clone, Copy)]
pub struct PostureLine {
    pub label: &'static str,
    pub counts: Counts,
}

/// One CI audit. Implement the metadata and one or both hooks; list the
/// type in [`registry`].
pub trait CiAudit: Sync {
    /// Stable id, snake_case: the issue's `kind` in JSON, `ci-<id with
    /// dashes>` as a SARIF rule.
    fn id(&self) -> &'static str;
    /// What the audit finds, in a line (an issue's title unless it gives
    /// its own).
    fn title(&self) -> &'static str;
    /// What to do instead (an issue's unless it gives its own).
    fn instead(&self) -> &'static str;
    /// The OWASP Non-Human Identity Top 10 ids its issues evidence.
    fn nhi(&self) -> &'static [&'static str];
    fn severity(&self) -> Severity;
    /// The CI systems whose documents [`CiAudit::audit`] is given.
    fn systems(&self) -> &'static [CiSystem] {
        ALL_SYSTEMS
    }
    /// Its entry in the posture summary, if it has one.
    fn posture(&self) -> Option<PostureLine> {
        None
    }
    /// Audit one document (of one of [`CiAudit::systems`]).
    fn audit(&self, _doc: &ParsedDoc<'_>, _out: &mut IssueSink) {}
    /// Audit across all documents (after every [`CiAudit::audit`]).
    fn audit_all(&self, _docs: &[ParsedDoc<'_>], _out: &mut IssueSink) {}
}

/// Every audit, in the order their issues sort on one line.
static REGISTRY: &[&dyn CiAudit] = &[
    &audits::static_cloud_credentials::StaticCloudCredentials,
    &audits::shared_secret::SharedSecret,
    &audits::secrets_exposed_to_untrusted_code::SecretsExposedToUntrustedCode,
    &audits::static_keys_beside_oidc::StaticKeysBesideOidc,
];

/// Every audit keysprawl runs.
pub fn registry() -> &'static [&'static dyn CiAudit] {
    REGISTRY
}

/// The registered audit with this id.
pub fn audit_by_id(id: &str) -> Option<&'static dyn CiAudit> {
    REGISTRY.iter().copied().find(|a| a.id() == id)
}

/// All the parsed CI files of one scan keep at most this many YAML nodes
/// together (one file at most [`yaml::MAX_NODES`]); a file past the budget
/// is read as unreadable YAML.
pub const MAX_TOTAL_NODES: usize = 2_000_000;

/// The jobs and steps of one CI document by line, for attributing any
/// number of locations at a lookup each.
#[derive(Debug, Clone, Default)]
struct CiIndex {
    /// (first line, job name, steps as (first line, step name)), in
    /// document order.
    jobs: Vec<(usize, String, Vec<Line>)>,
}

/// A first line and the name of what starts there.
type Line = (usize, String);

impl CiIndex {
    fn new(system: CiSystem, root: &Node) -> CiIndex {
        CiIndex {
            jobs: systems::job_entries(system, root)
                .iter()
                .map(|(name, job)| {
                    let steps = job
                        .list("steps")
                        .iter()
                        .enumerate()
                        .map(|(idx, step)| (step.line(), systems::step_name(step, idx)))
                        .collect();
                    (job.line(), name.clone(), steps)
                })
                .collect(),
        }
    }

    /// The job and step `line` sits in: the last job starting at or before
    /// it (jobs after the first that starts below it are not looked at),
    /// and that job's last step starting at or before it.
    fn place(&self, line: u64) -> CiPlace {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        // Lines grow in document order, so both lookups are binary searches.
        let upto = self.jobs.partition_point(|(l, _, _)| *l <= line);
        let Some((_, name, steps)) = upto.checked_sub(1).and_then(|i| self.jobs.get(i)) else {
            return CiPlace::default();
        };
        let step = steps
            .partition_point(|(l, _)| *l <= line)
            .checked_sub(1)
            .and_then(|i| steps.get(i))
            .map(|(_, s)| s.clone());
        CiPlace {
            job: Some(name.clone()),
            step,
        }
    }
}

/// One CI document, parsed once: its YAML tree (none for Jenkinsfiles and
/// unreadable YAML) and the index that places lines in jobs and steps.
#[derive(Debug)]
pub struct ParsedDoc<'a> {
    doc: &'a CiDocument,
    root: Option<Node>,
    unread: Option<yaml::Unread>,
    index: CiIndex,
}

impl<'a> ParsedDoc<'a> {
    pub fn new(doc: &'a CiDocument) -> ParsedDoc<'a> {
        let mut budget = yaml::MAX_NODES;
        ParsedDoc::within(doc, &mut budget)
    }

    /// Parse `doc` with at most `budget` nodes, and take what it used.
    fn within(doc: &'a CiDocument, budget: &mut usize) -> ParsedDoc<'a> {
        let root = if doc.system == CiSystem::Jenkins {
            Err(yaml::Unread::NotYaml)
        } else {
            yaml::parse_yaml_bounded(&doc.text, (*budget).min(yaml::MAX_NODES)).map(|(root, n)| {
                *budget = budget.saturating_sub(n);
                root
            })
        };
        let (root, unread) = match root {
            Ok(r) => (Some(r), None),
            Err(why) => (None, (doc.system != CiSystem::Jenkins).then_some(why)),
        };
        let index = root
            .as_ref()
            .map(|r| CiIndex::new(doc.system, r))
            .unwrap_or_default();
        ParsedDoc {
            doc,
            root,
            unread,
            index,
        }
    }

    /// Why a YAML document has no tree (none for Jenkinsfiles, which are
    /// not YAML, and for documents that were read).
    pub fn unread(&self) -> Option<yaml::Unread> {
        self.unread
    }

    pub fn document(&self) -> &'a CiDocument {
        self.doc
    }
    pub fn system(&self) -> CiSystem {
        self.doc.system
    }
    /// The raw text (what text-scanned systems read).
    pub fn text(&self) -> &'a str {
        &self.doc.text
    }
    /// The YAML tree, if the document is YAML that could be read.
    pub fn yaml(&self) -> Option<&Node> {
        self.root.as_ref()
    }
    /// The job and step a line belongs to.
    pub fn place(&self, line: u64) -> CiPlace {
        self.index.place(line)
    }
}

/// Every CI document of a scan, each parsed once.
#[derive(Debug, Default)]
pub struct ParsedDocs<'a> {
    docs: Vec<ParsedDoc<'a>>,
    by_path: HashMap<(&'a Option<String>, &'a str), usize>,
}

impl<'a> ParsedDocs<'a> {
    pub fn new(docs: &'a [CiDocument]) -> ParsedDocs<'a> {
        let mut budget = MAX_TOTAL_NODES;
        let docs: Vec<ParsedDoc<'a>> = docs
            .iter()
            .map(|d| ParsedDoc::within(d, &mut budget))
            .collect();
        // A path given twice is placed by its last document.
        let by_path = docs
            .iter()
            .enumerate()
            .map(|(i, d)| ((&d.doc.repo, d.doc.path.as_str()), i))
            .collect();
        ParsedDocs { docs, by_path }
    }

    pub fn docs(&self) -> &[ParsedDoc<'a>] {
        &self.docs
    }

    /// The documents left unread because they, or all of them together,
    /// held too many YAML nodes (see [`MAX_TOTAL_NODES`]): the audits and
    /// attribution know nothing of them, which a report may want to say.
    pub fn too_large(&self) -> impl Iterator<Item = &'a CiDocument> + '_ {
        self.docs
            .iter()
            .filter(|d| d.unread == Some(yaml::Unread::TooManyNodes))
            .map(|d| d.doc)
    }

    /// The document at `repo`/`path`, if it is a CI document of the scan.
    pub fn get(&self, repo: &Option<String>, path: &str) -> Option<&ParsedDoc<'a>> {
        self.by_path
            .get(&(repo, path))
            .and_then(|&i| self.docs.get(i))
    }

    /// The job and step `line` of `repo`/`path` belongs to (nothing known
    /// for a file that is not one of the documents).
    pub fn place(&self, repo: &Option<String>, path: &str, line: u64) -> CiPlace {
        self.get(repo, path)
            .map(|d| d.place(line))
            .unwrap_or_default()
    }

    /// Run every registered audit on the documents of its systems, then
    /// the cross-document hooks; issues sorted by place, then by audit.
    pub fn audit(&self) -> Vec<CiIssue> {
        self.audit_with(registry())
    }

    /// [`ParsedDocs::audit`] with the given audits.
    pub fn audit_with(&self, audits: &[&dyn CiAudit]) -> Vec<CiIssue> {
        let mut out = IssueSink::default();
        for doc in &self.docs {
            for a in audits {
                if a.systems().contains(&doc.system()) {
                    a.audit(doc, &mut out);
                }
            }
        }
        for a in audits {
            a.audit_all(&self.docs, &mut out);
        }
        let rank = |k: CiIssueKind| audits.iter().position(|a| a.id() == k.as_str());
        let mut issues = out.into_issues();
        issues.sort_by(|a, b| {
            (&a.repo, &a.path, a.line, rank(a.kind)).cmp(&(&b.repo, &b.path, b.line, rank(b.kind)))
        });
        issues
    }
}

/// Parse and audit every CI document (see [`ParsedDocs`] to share the
/// parse with attribution).
pub fn audit(docs: &[CiDocument]) -> Vec<CiIssue> {
    ParsedDocs::new(docs).audit()
}

/// The job and step a line of a CI file belongs to (for hardcoded secrets).
/// Parses `doc`; to place many lines use [`ParsedDocs`].
pub fn place_of(doc: &CiDocument, line: u64) -> CiPlace {
    ParsedDoc::new(doc).place(line)
}

/// What `audit`'s posture line counts among `issues`.
pub fn posture_count(audit: &dyn CiAudit, issues: &[CiIssue]) -> usize {
    let mine = issues.iter().filter(|i| i.kind.as_str() == audit.id());
    match audit.posture().map_or(Counts::Issues, |p| p.counts) {
        Counts::Issues => mine.count(),
        Counts::Files => mine
            .map(|i| (&i.repo, &i.path))
            .collect::<BTreeSet<_>>()
            .len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn doc(system: CiSystem, text: &str) -> CiDocument {
        CiDocument {
            repo: None,
            path: ".github/workflows/deploy.yml".into(),
            system,
            text: text.into(),
        }
    }

    #[test]
    fn registry_ids_are_unique_snake_case_and_complete() {
        let ids: BTreeSet<&str> = registry().iter().map(|a| a.id()).collect();
        assert_eq!(ids.len(), registry().len());
        for a in registry() {
            assert!(
                a.id().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                a.id()
            );
            assert!(!a.title().is_empty() && !a.instead().is_empty() && !a.nhi().is_empty());
            assert!(!a.systems().is_empty());
            assert_eq!(CiIssueKind::of(a.id()).map(|k| k.as_str()), Some(a.id()));
        }
        let kind: CiIssueKind =
            serde_json::from_str("\"shared_secret\"").expect("a registered id reads back");
        assert_eq!(kind, CiIssueKind::SharedSecret);
        assert!(serde_json::from_str::<CiIssueKind>("\"no_such_audit\"").is_err());
    }

    #[test]
    fn github_static_keys_vs_oidc() {
        let bad = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: creds\n        uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_KEY }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET }}\n";
        let issues = audit(&[doc(CiSystem::GithubActions, bad)]);
        assert_eq!(issues.len(), 1, "{issues:?}");
        let i = &issues[0];
        assert_eq!(i.kind, CiIssueKind::StaticCloudCredentials);
        assert_eq!(i.line, 7);
        assert_eq!(i.column, 9);
        assert_eq!(i.keys.as_deref(), Some("jobs.deploy.steps[1]"));
        assert_eq!(i.job.as_deref(), Some("deploy"));
        assert_eq!(i.step.as_deref(), Some("creds"));
        assert_eq!(i.secrets, vec!["AWS_KEY", "AWS_SECRET"]);
        let good = "on: push\npermissions:\n  id-token: write\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::1:role/x\n";
        assert!(audit(&[doc(CiSystem::GithubActions, good)]).is_empty());
    }

    #[test]
    fn pull_request_target_checkout_of_head() {
        let wf = "on: pull_request_target\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make test\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n";
        let issues = audit(&[doc(CiSystem::GithubActions, wf)]);
        assert!(
            issues
                .iter()
                .any(|i| i.kind == CiIssueKind::SecretsExposedToUntrustedCode),
            "{issues:?}"
        );
        let safe = wf.replace("pull_request_target", "pull_request");
        assert!(
            audit(&[doc(CiSystem::GithubActions, &safe)])
                .iter()
                .all(|i| i.kind != CiIssueKind::SecretsExposedToUntrustedCode)
        );
    }

    #[test]
    fn place_of_a_line() {
        let wf = "on: push\njobs:\n  build:\n    steps:\n      - name: one\n        run: echo\n      - name: two\n        run: echo hi\n";
        let p = place_of(&doc(CiSystem::GithubActions, wf), 8);
        assert_eq!(p.job.as_deref(), Some("build"));
        assert_eq!(p.step.as_deref(), Some("two"));
        let d = [doc(CiSystem::GithubActions, wf)];
        let parsed = ParsedDocs::new(&d);
        assert_eq!(parsed.place(&None, ".github/workflows/deploy.yml", 8), p);
        assert_eq!(parsed.place(&None, "elsewhere.yml", 8), CiPlace::default());
    }

    #[test]
    fn deep_yaml_audits_are_bounded() {
        let mut deep = String::from("on: push\n");
        for i in 0..3_000 {
            deep.push_str(&" ".repeat(i));
            deep.push_str(&format!("k{i}:\n"));
        }
        assert!(audit(&[doc(CiSystem::Gitlab, &deep)]).is_empty());
        let dashes = format!("on: push\nx:\n  {}v\n", "- ".repeat(100_000));
        assert!(audit(&[doc(CiSystem::BitbucketPipelines, &dashes)]).is_empty());
    }

    #[test]
    fn the_node_budget_spans_documents() {
        let wf = "on: push\njobs:\n  d:\n    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n";
        let docs: Vec<CiDocument> = (0..3).map(|_| doc(CiSystem::GithubActions, wf)).collect();
        let mut budget = 20;
        let parsed: Vec<ParsedDoc> = docs
            .iter()
            .map(|d| ParsedDoc::within(d, &mut budget))
            .collect();
        assert!(parsed[0].yaml().is_some());
        assert!(parsed[2].yaml().is_none(), "past the budget: {budget}");
        assert_eq!(parsed[2].unread(), Some(yaml::Unread::TooManyNodes));
        assert_eq!(parsed[0].unread(), None);
    }
}
