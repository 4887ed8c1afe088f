//! Long-lived cloud keys fed to a pipeline from its secret store, where the
//! CI system's OIDC federation would give short-lived credentials.

use std::collections::BTreeSet;

use crate::ci::Severity;
use crate::ci::systems::{
    STATIC_ENV, circleci, from_store, generic, github, gitlab, jenkins, secret_names, static_env,
};
use crate::ci::{CiAudit, Counts, IssueBuilder, IssueSink, ParsedDoc, PostureLine};
use crate::ci::{CiSystem, Node};

pub const ID: &str = "static_cloud_credentials";

const AWS_INSTEAD: &str = "Use OIDC federation: grant `permissions: id-token: write` and assume a role, e.g.\n  - uses: aws-actions/configure-aws-credentials@v4\n    with:\n      role-to-assume: arn:aws:iam::123456789012:role/deploy\n      aws-region: us-east-1";
const GCP_INSTEAD: &str = "Use Workload Identity Federation, e.g.\n  - uses: google-github-actions/auth@v2\n    with:\n      workload_identity_provider: projects/123/locations/global/workloadIdentityPools/ci/providers/github\n      service_account: deploy@project.iam.gserviceaccount.com";
const AZURE_INSTEAD: &str = "Use OIDC (federated credentials), e.g.\n  - uses: azure/login@v2\n    with:\n      client-id: ${{ vars.AZURE_CLIENT_ID }}\n      tenant-id: ${{ vars.AZURE_TENANT_ID }}\n      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}";
/// Also what `static_keys_beside_oidc` points to.
pub const GITLAB_INSTEAD: &str = "Use GitLab OIDC: request a token with `id_tokens:` and exchange it, e.g.\n  id_tokens:\n    AWS_TOKEN: { aud: https://gitlab.com }\n  script:\n    - aws sts assume-role-with-web-identity --role-arn $ROLE_ARN --web-identity-token $AWS_TOKEN ...";
const CIRCLE_INSTEAD: &str = "Use CircleCI OIDC with the AWS orb: `aws-cli/setup: { role_arn: arn:aws:iam::123456789012:role/deploy }` (the job gets $CIRCLE_OIDC_TOKEN)";
const GENERIC_INSTEAD: &str = "Use the CI system's OIDC token to assume a short-lived cloud role instead of stored access keys (GitHub: id-token: write; GitLab: id_tokens; Bitbucket: oidc: true; Buildkite: aws-assume-role-with-web-identity plugin; Azure Pipelines: workload identity service connection).";
const JENKINS_INSTEAD: &str = "Use short-lived credentials: an IAM role on the agent (instance profile / IRSA) or OIDC via a token-issuing plugin.";

pub struct StaticCloudCredentials;

impl CiAudit for StaticCloudCredentials {
    fn id(&self) -> &'static str {
        ID
    }
    fn title(&self) -> &'static str {
        "a pipeline is fed long-lived cloud keys from its secret store where OIDC would give short-lived ones"
    }
    fn instead(&self) -> &'static str {
        GENERIC_INSTEAD
    }
    fn nhi(&self) -> &'static [&'static str] {
        &["NHI7", "NHI6"]
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn posture(&self) -> Option<PostureLine> {
        Some(PostureLine {
            label: "pipelines with stored cloud keys",
            counts: Counts::Files,
        })
    }
    fn audit(&self, doc: &ParsedDoc<'_>, out: &mut IssueSink) {
        if doc.system() == CiSystem::Jenkins {
            return self.jenkins(doc, out);
        }
        let Some(root) = doc.yaml() else { return };
        match doc.system() {
            CiSystem::GithubActions => self.github(doc, root, out),
            CiSystem::Gitlab => self.gitlab(doc, root, out),
            CiSystem::Circleci => self.circleci(doc, root, out),
            _ => self.generic(doc, root, out),
        }
    }
}

impl StaticCloudCredentials {
    /// Stored keys in workflow, job and step `env:`, and the cloud login
    /// actions given keys instead of a federated identity.
    fn github(&self, doc: &ParsedDoc<'_>, root: &Node, out: &mut IssueSink) {
        let env_issue = |what: &str, k: &str, v: &Node, names: BTreeSet<String>| {
            IssueBuilder::new(self, doc)
                .at(v)
                .title(format!(
                    "{what} env `{k}` comes from a stored secret: a long-lived cloud key"
                ))
                .instead(AWS_INSTEAD)
                .secrets(names)
        };
        for (k, v, names) in static_env(root.get("env")) {
            out.push(
                env_issue("workflow", k, v, names)
                    .keys(crate::ci::KeyPath::of(["env", k]))
                    .build(),
            );
        }
        for job in github::jobs(root) {
            for (k, v, names) in static_env(job.get("env")) {
                out.push(
                    env_issue("job", k, v, names)
                        .keys(job.path().key("env").key(k))
                        .job(job.id)
                        .build(),
                );
            }
            for step in job.steps() {
                let uses = step.uses();
                let action = |title: &str, instead: &str, inputs: &[&str]| {
                    IssueBuilder::new(self, doc)
                        .at(step.node)
                        .keys(step.path())
                        .job(job.id)
                        .step(step.name())
                        .title(title.to_string())
                        .instead(instead)
                        .secrets(
                            inputs
                                .iter()
                                .filter_map(|k| step.with(k).and_then(Node::str))
                                .flat_map(secret_names),
                        )
                        .build()
                };
                if uses.starts_with("aws-actions/configure-aws-credentials")
                    && (step.with("aws-access-key-id").is_some()
                        || step.with("aws-secret-access-key").is_some())
                    && step.with("role-to-assume").is_none()
                {
                    out.push(action(
                        "aws-actions/configure-aws-credentials is given stored access keys instead of `role-to-assume` with OIDC",
                        AWS_INSTEAD,
                        &["aws-access-key-id", "aws-secret-access-key"],
                    ));
                }
                if uses.starts_with("google-github-actions/auth")
                    && step.with("credentials_json").is_some()
                    && step.with("workload_identity_provider").is_none()
                {
                    out.push(action(
                        "google-github-actions/auth is given a service-account key (`credentials_json`) instead of Workload Identity Federation",
                        GCP_INSTEAD,
                        &["credentials_json"],
                    ));
                }
                if uses.starts_with("azure/login") && step.with("creds").is_some() {
                    out.push(action(
                        "azure/login is given a client secret (`creds`) instead of OIDC client-id/tenant-id",
                        AZURE_INSTEAD,
                        &["creds"],
                    ));
                }
                for (k, v, names) in static_env(step.get("env")) {
                    out.push(
                        env_issue("step", k, v, names)
                            .keys(step.path().key("env").key(k))
                            .job(job.id)
                            .step(step.name())
                            .build(),
                    );
                }
            }
        }
    }

    /// Jobs that use stored cloud keys (their own variables, or variables
    /// the pipeline defines and the job's `aws` calls read) without
    /// `id_tokens`.
    fn gitlab(&self, doc: &ParsedDoc<'_>, root: &Node, out: &mut IssueSink) {
        let blob = root.text_blob();
        let global_static = STATIC_ENV.iter().any(|k| gitlab::expands(&blob, k));
        for job in gitlab::jobs(root) {
            let text = job.node.text_blob();
            let uses_static = STATIC_ENV.iter().any(|k| {
                gitlab::expands(&text, k) || job.get("variables").and_then(|v| v.get(k)).is_some()
            });
            if (uses_static || (global_static && text.contains("aws "))) && !job.has_id_tokens() {
                out.push(
                    IssueBuilder::new(self, doc)
                        .at(job.node)
                        .keys(job.path())
                        .job(job.id)
                        .title("job uses stored cloud keys (CI/CD variables) where `id_tokens` OIDC would give short-lived credentials".into())
                        .instead(GITLAB_INSTEAD)
                        .build(),
                );
            }
        }
    }

    /// The AWS orb set up without a role, and stored keys in a job's
    /// `environment:`.
    fn circleci(&self, doc: &ParsedDoc<'_>, root: &Node, out: &mut IssueSink) {
        for job in circleci::jobs(root) {
            for (idx, step) in job.steps() {
                if let Some(setup) = step.get("aws-cli/setup")
                    && setup.get("role_arn").is_none()
                    && setup.get("role-arn").is_none()
                {
                    out.push(
                        IssueBuilder::new(self, doc)
                            .at(step)
                            .keys(job.step_path(idx))
                            .job(job.id)
                            .step(format!("aws-cli/setup (step {})", idx + 1))
                            .title("the AWS orb is set up with stored access keys instead of an OIDC `role_arn`".into())
                            .instead(CIRCLE_INSTEAD)
                            .build(),
                    );
                }
            }
            for (k, v, _) in static_env(job.get("environment")) {
                out.push(
                    IssueBuilder::new(self, doc)
                        .at(v)
                        .keys(job.path().key("environment").key(k))
                        .job(job.id)
                        .title(format!(
                            "job environment `{k}` comes from a stored secret: a long-lived cloud key"
                        ))
                        .instead(CIRCLE_INSTEAD)
                        .build(),
                );
            }
        }
    }

    /// Any other YAML CI (Azure Pipelines, Bitbucket, Travis, Buildkite): an
    /// env or variables entry mapping a cloud key from the store, unless
    /// the file uses OIDC anywhere. One issue per line.
    fn generic(&self, doc: &ParsedDoc<'_>, root: &Node, out: &mut IssueSink) {
        let blob = root.text_blob();
        let oidc = blob.contains("oidc\ntrue")
            || blob.contains("AWS_OIDC_ROLE_ARN")
            || blob.contains("assume-role-with-web-identity")
            || blob.contains("WorkloadIdentity");
        if oidc {
            return;
        }
        let mut seen = BTreeSet::new();
        generic::walk_env(root, &mut |e| {
            if STATIC_ENV.contains(&e.key) && from_store(e.value) && seen.insert(e.node.line()) {
                out.push(
                    IssueBuilder::new(self, doc)
                        .at(e.node)
                        .keys(e.path)
                        .title(format!(
                            "`{}` is fed from the CI secret store: a long-lived cloud key",
                            e.key
                        ))
                        .instead(GENERIC_INSTEAD)
                        .secrets(secret_names(e.value))
                        .build(),
                );
            }
        });
    }

    /// Jenkins credential bindings of AWS keys.
    fn jenkins(&self, doc: &ParsedDoc<'_>, out: &mut IssueSink) {
        let binds = |line: &str| {
            line.find("AmazonWebServicesCredentialsBinding")
                .or_else(|| line.find("credentials(").filter(|_| line.contains("AWS_")))
        };
        for (line, column, _) in jenkins::lines_with(doc.text(), binds) {
            out.push(
                IssueBuilder::new(self, doc)
                    .line_col(line, column)
                    .title("Jenkins binds stored AWS access keys into the build".into())
                    .instead(JENKINS_INSTEAD)
                    .build(),
            );
        }
    }
}
