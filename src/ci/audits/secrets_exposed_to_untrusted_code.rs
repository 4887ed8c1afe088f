//! A `pull_request_target` job that checks out the pull request's head
//! while secrets are in scope: the PR's code runs with the base
//! repository's secrets and a write token.

use crate::ci::Severity;
use crate::ci::systems::{github, secret_names};
use crate::ci::{CiAudit, CiSystem, Counts, IssueBuilder, IssueSink, ParsedDoc, PostureLine};

pub const ID: &str = "secrets_exposed_to_untrusted_code";

pub struct SecretsExposedToUntrustedCode;

impl CiAudit for SecretsExposedToUntrustedCode {
    fn id(&self) -> &'static str {
        ID
    }
    fn title(&self) -> &'static str {
        "`pull_request_target` job checks out the pull request's head while secrets are in scope: untrusted code can read them"
    }
    fn instead(&self) -> &'static str {
        "Run untrusted code under `pull_request` (no secrets), or split the job: build the PR without secrets and pass artifacts to a privileged `workflow_run` job that never executes PR code."
    }
    fn nhi(&self) -> &'static [&'static str] {
        &["NHI2", "NHI5"]
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn systems(&self) -> &'static [CiSystem] {
        &[CiSystem::GithubActions]
    }
    fn posture(&self) -> Option<PostureLine> {
        Some(PostureLine {
            label: "secrets exposed to untrusted code",
            counts: Counts::Issues,
        })
    }
    fn audit(&self, doc: &ParsedDoc<'_>, out: &mut IssueSink) {
        let Some(root) = doc.yaml() else { return };
        if !github::triggered_by(root, "pull_request_target") {
            return;
        }
        let workflow_oidc = github::grants_id_token(root.get("permissions"));
        for job in github::jobs(root) {
            let checks_out_head = job.steps().any(|step| {
                if !step.uses().starts_with("actions/checkout") {
                    return false;
                }
                let input = |k: &str| step.with(k).and_then(|n| n.str()).unwrap_or("");
                let r = input("ref");
                r.contains("pull_request.head")
                    || r.contains("refs/pull/")
                    || input("repository").contains("pull_request.head")
            });
            if !checks_out_head {
                continue;
            }
            // Stored secrets, the token, or (without an OIDC grant) the
            // default token's write scopes.
            let job_oidc = workflow_oidc || github::grants_id_token(job.get("permissions"));
            let blob = job.node.text_blob();
            let names = secret_names(&blob);
            if !names.is_empty() || blob.contains("secrets.GITHUB_TOKEN") || !job_oidc {
                out.push(
                    IssueBuilder::new(self, doc)
                        .at(job.node)
                        .keys(job.path())
                        .job(job.id)
                        .secrets(names)
                        .build(),
                );
            }
        }
    }
}
