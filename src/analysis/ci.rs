//! CI configuration analysis: static cloud keys fed to pipelines where OIDC
//! federation would give short-lived ones, one stored secret fanned out to
//! many pipelines, secrets in reach of untrusted pull-request code, and the
//! job/step a hardcoded secret sits in.

use std::collections::{BTreeMap, BTreeSet};

use std::borrow::Cow;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde::{Deserialize, Serialize};

pub use crate::sources::{CiDocument, CiSystem};

/// A YAML node reduced to what the checks read, with its 1-based line.
#[derive(Debug, Clone)]
pub enum Node {
    Map(usize, Vec<(String, Node)>),
    Seq(usize, Vec<Node>),
    Str(usize, String),
    Null(usize),
}

impl Node {
    pub fn line(&self) -> usize {
        match self {
            Node::Map(l, _) | Node::Seq(l, _) | Node::Str(l, _) | Node::Null(l) => *l,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(_, kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn str(&self) -> Option<&str> {
        match self {
            Node::Str(_, s) => Some(s),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(_, kv) => kv,
            _ => &[],
        }
    }
    /// The items of the sequence under `key` (a job's `steps`), or none.
    pub fn list(&self, key: &str) -> &[Node] {
        self.get(key).map(Node::items).unwrap_or_default()
    }
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq(_, v) => v,
            _ => &[],
        }
    }
    /// Every scalar below this node, keys included, in document order
    /// (an explicit stack: no recursion on input depth).
    fn texts<'a>(&'a self, out: &mut Vec<&'a str>) {
        enum Item<'a> {
            Text(&'a str),
            Node(&'a Node),
        }
        let mut stack = vec![Item::Node(self)];
        while let Some(item) = stack.pop() {
            match item {
                Item::Text(s) => out.push(s),
                Item::Node(Node::Str(_, s)) => out.push(s),
                Item::Node(Node::Map(_, kv)) => {
                    for (k, v) in kv.iter().rev() {
                        stack.push(Item::Node(v));
                        stack.push(Item::Text(k));
                    }
                }
                Item::Node(Node::Seq(_, v)) => stack.extend(v.iter().rev().map(Item::Node)),
                Item::Node(Node::Null(_)) => {}
            }
        }
    }
    fn text_blob(&self) -> String {
        let mut v = Vec::new();
        self.texts(&mut v);
        v.join("\n")
    }
}

/// Deeper YAML collections than this are read as null: no CI file nests
/// that deep, and it bounds the stack every later walk (and drop) uses.
const MAX_DEPTH: usize = 64;

/// At most this many nodes are kept from one CI file.
const MAX_NODES: usize = 1_000_000;

fn scalar_node(
    line: usize,
    v: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
) -> Node {
    let text = match Scalar::parse_from_cow_and_metadata(v.clone(), style, tag) {
        Some(Scalar::Null) => None,
        Some(Scalar::Boolean(b)) => Some(b.to_string()),
        Some(Scalar::Integer(i)) => Some(i.to_string()),
        Some(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        Some(Scalar::String(s)) => Some(s.into_owned()),
        None => Some(v.into_owned()),
    };
    text.map_or(Node::Null(line), |t| Node::Str(line, t))
}

/// A collection being built: its line, its items, and for a mapping the
/// key waiting for its value.
enum Frame {
    Seq(usize, Vec<Node>),
    Map(usize, Vec<(String, Node)>, Option<String>),
}

/// Parse the first YAML document into [`Node`]s from the parser's event
/// stream, with an explicit stack and a depth bound (collections nested
/// deeper than [`MAX_DEPTH`] become null; aliases are not expanded). `None`
/// when it is not YAML we can read.
pub fn parse_yaml(text: &str) -> Option<Node> {
    let mut stack: Vec<Frame> = Vec::new();
    // Collections opened below the depth bound, still to be closed.
    let mut skipped = 0usize;
    let mut nodes = 0usize;
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.ok()?;
        let line = span.start.line();
        let done = match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if skipped > 0 || stack.len() >= MAX_DEPTH {
                    skipped += 1;
                } else if matches!(ev, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(line, Vec::new()));
                } else {
                    stack.push(Frame::Map(line, Vec::new(), None));
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if skipped > 0 {
                    skipped -= 1;
                    if skipped > 0 {
                        continue;
                    }
                    Node::Null(line)
                } else {
                    match stack.pop()? {
                        Frame::Seq(l, v) => Node::Seq(l, v),
                        Frame::Map(l, kv, _) => Node::Map(l, kv),
                    }
                }
            }
            Event::Scalar(v, style, _, tag) => {
                if skipped > 0 {
                    continue;
                }
                scalar_node(line, v, style, tag.as_ref())
            }
            Event::Alias(_) => {
                if skipped > 0 {
                    continue;
                }
                Node::Null(line)
            }
            Event::DocumentEnd if stack.is_empty() => return None,
            _ => continue,
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return None;
        }
        match stack.last_mut() {
            None => return Some(done),
            Some(Frame::Seq(_, v)) => v.push(done),
            Some(Frame::Map(_, kv, key)) => match key.take() {
                Some(k) => kv.push((k, done)),
                None => {
                    *key = Some(match done {
                        Node::Str(_, s) => s,
                        _ => String::new(),
                    })
                }
            },
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiIssueKind {
    /// Long-lived cloud keys from the CI secret store where OIDC would do.
    StaticCloudCredentials,
    /// One stored secret name fed to many pipelines.
    SharedSecret,
    /// Secrets in scope of a job that runs untrusted pull-request code.
    SecretsExposedToUntrustedCode,
}

/// A finding about how a pipeline gets its credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CiIssue {
    pub kind: CiIssueKind,
    pub system: CiSystem,
    pub repo: Option<String>,
    pub path: String,
    pub line: usize,
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

const AWS_INSTEAD: &str = "Use OIDC federation: grant `permissions: id-token: write` and assume a role, e.g.\n  - uses: aws-actions/configure-aws-credentials@v4\n    with:\n      role-to-assume: arn:aws:iam::123456789012:role/deploy\n      aws-region: us-east-1";
const GCP_INSTEAD: &str = "Use Workload Identity Federation, e.g.\n  - uses: google-github-actions/auth@v2\n    with:\n      workload_identity_provider: projects/123/locations/global/workloadIdentityPools/ci/providers/github\n      service_account: deploy@project.iam.gserviceaccount.com";
const AZURE_INSTEAD: &str = "Use OIDC (federated credentials), e.g.\n  - uses: azure/login@v2\n    with:\n      client-id: ${{ vars.AZURE_CLIENT_ID }}\n      tenant-id: ${{ vars.AZURE_TENANT_ID }}\n      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}";
const GITLAB_INSTEAD: &str = "Use GitLab OIDC: request a token with `id_tokens:` and exchange it, e.g.\n  id_tokens:\n    AWS_TOKEN: { aud: https://gitlab.com }\n  script:\n    - aws sts assume-role-with-web-identity --role-arn $ROLE_ARN --web-identity-token $AWS_TOKEN ...";
const CIRCLE_INSTEAD: &str = "Use CircleCI OIDC with the AWS orb: `aws-cli/setup: { role_arn: arn:aws:iam::123456789012:role/deploy }` (the job gets $CIRCLE_OIDC_TOKEN)";
const GENERIC_INSTEAD: &str = "Use the CI system's OIDC token to assume a short-lived cloud role instead of stored access keys (GitHub: id-token: write; GitLab: id_tokens; Bitbucket: oidc: true; Buildkite: aws-assume-role-with-web-identity plugin; Azure Pipelines: workload identity service connection).";

const STATIC_ENV: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "GOOGLE_CREDENTIALS",
    "GOOGLE_APPLICATION_CREDENTIALS_JSON",
    "GCP_SA_KEY",
    "GCP_SERVICE_ACCOUNT_KEY",
    "AZURE_CLIENT_SECRET",
    "ARM_CLIENT_SECRET",
    "AZURE_CREDENTIALS",
];

/// Does a value come from the CI system's secret store (not a literal)?
fn from_store(v: &str) -> bool {
    v.contains("secrets.")
        || v.trim_start().starts_with('$')
        || v.contains("$(")
        || v.contains("${")
}

/// `${{ secrets.NAME }}` / `$NAME` / `$(NAME)` → NAME.
fn secret_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("secrets.") {
        let tail = &rest[i + 8..];
        let name: String = tail
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && name != "GITHUB_TOKEN" {
            out.insert(name);
        }
        rest = tail;
    }
    out
}

fn issue(
    doc: &CiDocument,
    kind: CiIssueKind,
    line: usize,
    place: CiPlace,
    title: String,
    instead: &str,
) -> CiIssue {
    let nhi = match kind {
        CiIssueKind::StaticCloudCredentials => vec!["NHI7", "NHI6"],
        CiIssueKind::SharedSecret => vec!["NHI9"],
        CiIssueKind::SecretsExposedToUntrustedCode => vec!["NHI2", "NHI5"],
    };
    CiIssue {
        kind,
        system: doc.system,
        repo: doc.repo.clone(),
        path: doc.path.clone(),
        line,
        job: place.job,
        step: place.step,
        title,
        instead: instead.to_string(),
        secrets: Vec::new(),
        nhi: nhi.into_iter().map(str::to_string).collect(),
    }
}

/// Audit every CI document; also reports secret names shared by many files.
pub fn audit(docs: &[CiDocument]) -> Vec<CiIssue> {
    let mut out = Vec::new();
    let mut names: BTreeMap<String, BTreeSet<(Option<String>, String)>> = BTreeMap::new();
    for doc in docs {
        if doc.system == CiSystem::Jenkins {
            audit_jenkins(doc, &mut out);
            for n in secret_names(&doc.text) {
                names
                    .entry(n)
                    .or_default()
                    .insert((doc.repo.clone(), doc.path.clone()));
            }
            continue;
        }
        let Some(root) = parse_yaml(&doc.text) else {
            continue;
        };
        for n in secret_names(&root.text_blob()) {
            names
                .entry(n)
                .or_default()
                .insert((doc.repo.clone(), doc.path.clone()));
        }
        match doc.system {
            CiSystem::GithubActions => audit_github(doc, &root, &mut out),
            CiSystem::Gitlab => audit_gitlab(doc, &root, &mut out),
            CiSystem::Circleci => audit_circleci(doc, &root, &mut out),
            _ => audit_generic(doc, &root, &mut out),
        }
    }
    for (name, places) in names {
        let repos: BTreeSet<&Option<String>> = places.iter().map(|(r, _)| r).collect();
        if places.len() >= 3 || repos.len() >= 2 {
            let Some((repo, path)) = places.iter().next() else {
                continue;
            };
            out.push(CiIssue {
                kind: CiIssueKind::SharedSecret,
                system: docs
                    .iter()
                    .find(|d| &d.path == path && &d.repo == repo)
                    .map_or(CiSystem::GithubActions, |d| d.system),
                repo: repo.clone(),
                path: path.clone(),
                line: 0,
                job: None,
                step: None,
                title: format!(
                    "stored secret `{name}` is fed to {} pipeline files in {} repositories: one standing credential shared by many pipelines",
                    places.len(),
                    repos.len()
                ),
                instead: "Give each pipeline its own short-lived credential (OIDC), or at least a separate, narrowly scoped secret per pipeline and environment.".into(),
                secrets: vec![name.clone()],
                nhi: vec!["NHI9".into(), "NHI8".into()],
            });
        }
    }
    out.sort_by(|a, b| (&a.repo, &a.path, a.line, a.kind).cmp(&(&b.repo, &b.path, b.line, b.kind)));
    out
}

fn step_name(step: &Node, idx: usize) -> String {
    if let Some(s) = step
        .get("name")
        .or_else(|| step.get("id"))
        .or_else(|| step.get("uses"))
        .and_then(Node::str)
    {
        return s.to_string();
    }
    match step.get("run").and_then(Node::str) {
        Some(run) => {
            let first = run.lines().next().unwrap_or("").trim();
            let short: String = first.chars().take(40).collect();
            format!(
                "run: {short}{}",
                if first.chars().count() > 40 {
                    "…"
                } else {
                    ""
                }
            )
        }
        None => format!("step {}", idx + 1),
    }
}

fn has_oidc_permission(node: Option<&Node>) -> bool {
    match node {
        Some(Node::Str(_, s)) => s == "write-all",
        Some(p) => p.get("id-token").and_then(Node::str) == Some("write"),
        None => false,
    }
}

/// Env mappings that feed static cloud keys from the store.
fn static_env(env: Option<&Node>) -> Vec<(&str, usize, BTreeSet<String>)> {
    let Some(env) = env else { return Vec::new() };
    env.entries()
        .iter()
        .filter(|(k, _)| STATIC_ENV.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let s = v.str()?;
            from_store(s).then(|| (k.as_str(), v.line(), secret_names(s)))
        })
        .collect()
}

fn audit_github(doc: &CiDocument, root: &Node, out: &mut Vec<CiIssue>) {
    let on = root.get("on").or_else(|| root.get("true"));
    let prt = on.is_some_and(|o| match o {
        Node::Str(_, s) => s == "pull_request_target",
        Node::Seq(_, v) => v.iter().any(|x| x.str() == Some("pull_request_target")),
        Node::Map(_, kv) => kv.iter().any(|(k, _)| k == "pull_request_target"),
        Node::Null(_) => false,
    });
    let workflow_oidc = has_oidc_permission(root.get("permissions"));
    for (k, line, names) in static_env(root.get("env")) {
        let mut i = issue(
            doc,
            CiIssueKind::StaticCloudCredentials,
            line,
            CiPlace::default(),
            format!("workflow env `{k}` comes from a stored secret: a long-lived cloud key"),
            AWS_INSTEAD,
        );
        i.secrets = names.into_iter().collect();
        out.push(i);
    }
    for (job_id, job) in root.get("jobs").map(Node::entries).unwrap_or_default() {
        let job_oidc = workflow_oidc || has_oidc_permission(job.get("permissions"));
        let place = |step: Option<String>| CiPlace {
            job: Some(job_id.clone()),
            step,
        };
        for (k, line, names) in static_env(job.get("env")) {
            let mut i = issue(
                doc,
                CiIssueKind::StaticCloudCredentials,
                line,
                place(None),
                format!("job env `{k}` comes from a stored secret: a long-lived cloud key"),
                AWS_INSTEAD,
            );
            i.secrets = names.into_iter().collect();
            out.push(i);
        }
        let steps = job.list("steps");
        let mut checks_out_pr_head = false;
        for (idx, step) in steps.iter().enumerate() {
            let uses = step.get("uses").and_then(Node::str).unwrap_or("");
            let with = step.get("with");
            let w = |k: &str| with.and_then(|w| w.get(k));
            let name = step_name(step, idx);
            let mut flag = |title: String, instead: &str, keys: &[&str]| {
                let mut i = issue(
                    doc,
                    CiIssueKind::StaticCloudCredentials,
                    step.line(),
                    place(Some(name.clone())),
                    title,
                    instead,
                );
                i.secrets = keys
                    .iter()
                    .filter_map(|k| w(k).and_then(Node::str))
                    .flat_map(secret_names)
                    .collect();
                out.push(i);
            };
            if uses.starts_with("aws-actions/configure-aws-credentials")
                && (w("aws-access-key-id").is_some() || w("aws-secret-access-key").is_some())
                && w("role-to-assume").is_none()
            {
                flag(
                    "aws-actions/configure-aws-credentials is given stored access keys instead of `role-to-assume` with OIDC".into(),
                    AWS_INSTEAD,
                    &["aws-access-key-id", "aws-secret-access-key"],
                );
            }
            if uses.starts_with("google-github-actions/auth")
                && w("credentials_json").is_some()
                && w("workload_identity_provider").is_none()
            {
                flag(
                    "google-github-actions/auth is given a service-account key (`credentials_json`) instead of Workload Identity Federation".into(),
                    GCP_INSTEAD,
                    &["credentials_json"],
                );
            }
            if uses.starts_with("azure/login") && w("creds").is_some() {
                flag(
                    "azure/login is given a client secret (`creds`) instead of OIDC client-id/tenant-id".into(),
                    AZURE_INSTEAD,
                    &["creds"],
                );
            }
            for (k, line, names) in static_env(step.get("env")) {
                let mut i = issue(
                    doc,
                    CiIssueKind::StaticCloudCredentials,
                    line,
                    place(Some(name.clone())),
                    format!("step env `{k}` comes from a stored secret: a long-lived cloud key"),
                    AWS_INSTEAD,
                );
                i.secrets = names.into_iter().collect();
                out.push(i);
            }
            if uses.starts_with("actions/checkout") {
                let r = w("ref").and_then(Node::str).unwrap_or("");
                let repo = w("repository").and_then(Node::str).unwrap_or("");
                if r.contains("pull_request.head")
                    || r.contains("refs/pull/")
                    || repo.contains("pull_request.head")
                {
                    checks_out_pr_head = true;
                }
            }
        }
        if prt && checks_out_pr_head {
            let blob = job.text_blob();
            let names = secret_names(&blob);
            let uses_secrets =
                !names.is_empty() || blob.contains("secrets.GITHUB_TOKEN") || !job_oidc;
            if uses_secrets {
                let mut i = issue(
                    doc,
                    CiIssueKind::SecretsExposedToUntrustedCode,
                    job.line(),
                    place(None),
                    "`pull_request_target` job checks out the pull request's head while secrets are in scope: untrusted code can read them".into(),
                    "Run untrusted code under `pull_request` (no secrets), or split the job: build the PR without secrets and pass artifacts to a privileged `workflow_run` job that never executes PR code.",
                );
                i.secrets = names.into_iter().collect();
                out.push(i);
            }
        }
    }
}

const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

fn audit_gitlab(doc: &CiDocument, root: &Node, out: &mut Vec<CiIssue>) {
    let blob = root.text_blob();
    let global_static = STATIC_ENV
        .iter()
        .any(|k| blob.contains(&format!("${k}")) || blob.contains(&format!("${{{k}}}")));
    for (job_id, job) in root.entries() {
        if GITLAB_RESERVED.contains(&job_id.as_str())
            || job_id.starts_with('.')
            || !matches!(job, Node::Map(..))
        {
            continue;
        }
        let text = job.text_blob();
        let uses_static = STATIC_ENV.iter().any(|k| {
            text.contains(&format!("${k}"))
                || text.contains(&format!("${{{k}}}"))
                || job.get("variables").and_then(|v| v.get(k)).is_some()
        });
        let has_id_tokens = job.get("id_tokens").is_some();
        if (uses_static || (global_static && text.contains("aws "))) && !has_id_tokens {
            out.push(issue(
                doc,
                CiIssueKind::StaticCloudCredentials,
                job.line(),
                CiPlace {
                    job: Some(job_id.clone()),
                    step: None,
                },
                "job uses stored cloud keys (CI/CD variables) where `id_tokens` OIDC would give short-lived credentials".into(),
                GITLAB_INSTEAD,
            ));
        }
    }
}

fn audit_circleci(doc: &CiDocument, root: &Node, out: &mut Vec<CiIssue>) {
    for (job_id, job) in root.get("jobs").map(Node::entries).unwrap_or_default() {
        for (idx, step) in job.list("steps").iter().enumerate() {
            if let Some(setup) = step.get("aws-cli/setup")
                && setup.get("role_arn").is_none()
                && setup.get("role-arn").is_none()
            {
                out.push(issue(
                    doc,
                    CiIssueKind::StaticCloudCredentials,
                    step.line(),
                    CiPlace {
                        job: Some(job_id.clone()),
                        step: Some(format!("aws-cli/setup (step {})", idx + 1)),
                    },
                    "the AWS orb is set up with stored access keys instead of an OIDC `role_arn`"
                        .into(),
                    CIRCLE_INSTEAD,
                ));
            }
        }
        for (k, line, _) in static_env(job.get("environment")) {
            out.push(issue(
                doc,
                CiIssueKind::StaticCloudCredentials,
                line,
                CiPlace {
                    job: Some(job_id.clone()),
                    step: None,
                },
                format!("job environment `{k}` comes from a stored secret: a long-lived cloud key"),
                CIRCLE_INSTEAD,
            ));
        }
    }
}

/// Any other YAML CI (Azure Pipelines, Bitbucket, Travis, Buildkite): env or
/// variables mapping a cloud key from the store, unless the file uses OIDC.
fn audit_generic(doc: &CiDocument, root: &Node, out: &mut Vec<CiIssue>) {
    let blob = root.text_blob();
    let oidc = blob.contains("oidc\ntrue")
        || blob.contains("AWS_OIDC_ROLE_ARN")
        || blob.contains("assume-role-with-web-identity")
        || blob.contains("WorkloadIdentity");
    if oidc {
        return;
    }
    let mut seen = BTreeSet::new();
    walk_env(root, &mut |key, value, line| {
        if STATIC_ENV.contains(&key) && from_store(value) && seen.insert(line) {
            let mut i = issue(
                doc,
                CiIssueKind::StaticCloudCredentials,
                line,
                CiPlace::default(),
                format!("`{key}` is fed from the CI secret store: a long-lived cloud key"),
                GENERIC_INSTEAD,
            );
            i.secrets = secret_names(value).into_iter().collect();
            out.push(i);
        }
    });
}

/// Every `KEY: value` mapping entry and `KEY=value` list item, with its
/// line, in document order (an explicit stack: no recursion on input depth).
fn walk_env(node: &Node, f: &mut dyn FnMut(&str, &str, usize)) {
    enum Item<'a> {
        Entry(&'a str, &'a Node),
        Node(&'a Node),
    }
    let mut stack = vec![Item::Node(node)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Entry(k, v) => {
                if let Some(s) = v.str() {
                    f(k, s, v.line());
                }
                stack.push(Item::Node(v));
            }
            Item::Node(Node::Map(_, kv)) => {
                stack.extend(kv.iter().rev().map(|(k, v)| Item::Entry(k, v)));
            }
            Item::Node(Node::Seq(_, v)) => stack.extend(v.iter().rev().map(Item::Node)),
            Item::Node(Node::Str(line, s)) => {
                // `- AWS_ACCESS_KEY_ID=$X` style list entries (Travis, Buildkite).
                if let Some((k, v)) = s.split_once('=') {
                    f(k.trim(), v, *line);
                }
            }
            Item::Node(Node::Null(_)) => {}
        }
    }
}

fn audit_jenkins(doc: &CiDocument, out: &mut Vec<CiIssue>) {
    for (n, line) in doc.text.lines().enumerate() {
        if line.contains("AmazonWebServicesCredentialsBinding")
            || (line.contains("credentials(") && line.contains("AWS_"))
        {
            out.push(issue(
                doc,
                CiIssueKind::StaticCloudCredentials,
                n + 1,
                CiPlace::default(),
                "Jenkins binds stored AWS access keys into the build".into(),
                "Use short-lived credentials: an IAM role on the agent (instance profile / IRSA) or OIDC via a token-issuing plugin.",
            ));
        }
    }
}

/// The jobs and steps of one CI document by line, built from one parse so
/// that attributing any number of locations costs a lookup each.
#[derive(Debug, Clone, Default)]
pub struct CiIndex {
    /// (first line, job name, steps as (first line, step name)), in
    /// document order.
    jobs: Vec<(usize, String, Vec<Line>)>,
}

/// A first line and the name of what starts there.
type Line = (usize, String);

impl CiIndex {
    /// Parse `doc` once and index its jobs and steps (Jenkins files and
    /// unreadable YAML give an empty index).
    pub fn new(doc: &CiDocument) -> CiIndex {
        let Some(root) = (doc.system != CiSystem::Jenkins)
            .then(|| parse_yaml(&doc.text))
            .flatten()
        else {
            return CiIndex::default();
        };
        let jobs: &[(String, Node)] = match doc.system {
            CiSystem::GithubActions | CiSystem::Circleci => {
                root.get("jobs").map(Node::entries).unwrap_or_default()
            }
            _ => root.entries(),
        };
        CiIndex {
            jobs: jobs
                .iter()
                .map(|(name, job)| {
                    let steps = job
                        .list("steps")
                        .iter()
                        .enumerate()
                        .map(|(idx, step)| (step.line(), step_name(step, idx)))
                        .collect();
                    (job.line(), name.clone(), steps)
                })
                .collect(),
        }
    }

    /// The job and step `line` sits in: the last job starting at or before
    /// it (jobs after the first that starts below it are not looked at),
    /// and that job's last step starting at or before it.
    pub fn place(&self, line: u64) -> CiPlace {
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

/// The job and step a line of a CI file belongs to (for hardcoded secrets).
/// Parses `doc`; to place many lines build one [`CiIndex`].
pub fn place_of(doc: &CiDocument, line: u64) -> CiPlace {
    CiIndex::new(doc).place(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(system: CiSystem, text: &str) -> CiDocument {
        CiDocument {
            repo: None,
            path: ".github/workflows/deploy.yml".into(),
            system,
            text: text.into(),
        }
    }

    #[test]
    fn github_static_keys_vs_oidc() {
        let bad = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: creds\n        uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_KEY }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET }}\n";
        let issues = audit(&[doc(CiSystem::GithubActions, bad)]);
        assert_eq!(issues.len(), 1, "{issues:?}");
        let i = &issues[0];
        assert_eq!(i.kind, CiIssueKind::StaticCloudCredentials);
        assert_eq!(i.line, 7);
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
    }

    #[test]
    fn deep_yaml_is_bounded_not_a_stack_overflow() {
        let mut deep = String::from("on: push\n");
        for i in 0..3_000 {
            deep.push_str(&" ".repeat(i));
            deep.push_str(&format!("k{i}:\n"));
        }
        let root = parse_yaml(&deep).expect("still YAML");
        assert_eq!(root.get("on").and_then(Node::str), Some("push"));
        let _ = root.text_blob();
        assert!(audit(&[doc(CiSystem::Gitlab, &deep)]).is_empty());
        let flow = format!("a: {}{}", "[".repeat(250), "]".repeat(250));
        assert!(parse_yaml(&flow).is_some());
        let dashes = format!("on: push\nx:\n  {}v\n", "- ".repeat(100_000));
        let root = parse_yaml(&dashes).expect("compact nested sequences are YAML");
        assert_eq!(root.get("on").and_then(Node::str), Some("push"));
        let _ = root.text_blob();
        assert!(audit(&[doc(CiSystem::BitbucketPipelines, &dashes)]).is_empty());
    }

    #[test]
    fn text_blob_keeps_key_value_order() {
        let root = parse_yaml("a:\n  oidc: true\n  b: [x, y]\n").expect("yaml");
        assert_eq!(root.text_blob(), "a\noidc\ntrue\nb\nx\ny");
    }
}
