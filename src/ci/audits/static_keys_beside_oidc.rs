//! A GitLab job that requests OIDC tokens (`id_tokens:`) and is still fed a
//! long-lived cloud key from the CI/CD variables: the key left behind after
//! moving to OIDC. It is as exposed as before, and nothing uses it that
//! the token could not replace.
//!
//! Only `variables:` entries that map a known cloud-key name from the store
//! count (the job's own, or the pipeline's, which reach every job);
//! `$AWS_…` in scripts does not, since a job that assumed a role exports
//! those names itself. Jobs without `id_tokens` are
//! `static_cloud_credentials`' business.

use crate::ci::Severity;
use crate::ci::systems::{gitlab, secret_names, static_env};
use crate::ci::{
    CiAudit, CiSystem, Counts, IssueBuilder, IssueSink, KeyPath, ParsedDoc, PostureLine,
};

pub const ID: &str = "static_keys_beside_oidc";

pub struct StaticKeysBesideOidc;

impl CiAudit for StaticKeysBesideOidc {
    fn id(&self) -> &'static str {
        ID
    }
    fn title(&self) -> &'static str {
        "a job that requests OIDC `id_tokens` is still fed a stored long-lived cloud key"
    }
    fn instead(&self) -> &'static str {
        "Once the role assumed with the job's id_token works, remove the stored key from `variables:` and from the project's CI/CD settings, and deactivate it in the cloud account: the id_token alone gives the job short-lived credentials."
    }
    fn nhi(&self) -> &'static [&'static str] {
        &["NHI7", "NHI1"]
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn systems(&self) -> &'static [CiSystem] {
        &[CiSystem::Gitlab]
    }
    fn posture(&self) -> Option<PostureLine> {
        Some(PostureLine {
            label: "static keys left beside OIDC",
            counts: Counts::Issues,
        })
    }
    fn audit(&self, doc: &ParsedDoc<'_>, out: &mut IssueSink) {
        let Some(root) = doc.yaml() else { return };
        let mut oidc_jobs = gitlab::jobs(root).filter(|j| j.has_id_tokens()).peekable();
        let Some(first) = oidc_jobs.peek().map(|j| j.id) else {
            return;
        };
        for (k, v, _) in static_env(root.get("variables")) {
            out.push(
                IssueBuilder::new(self, doc)
                    .at(v)
                    .keys(KeyPath::of(["variables", k]))
                    .title(format!(
                        "pipeline variable `{k}` feeds a stored cloud key to every job, including `{first}`, which requests `id_tokens`: a long-lived key left beside OIDC"
                    ))
                    .secrets(v.str().map(variable_names).unwrap_or_default())
                    .build(),
            );
        }
        for job in oidc_jobs {
            for (k, v, _) in static_env(job.get("variables")) {
                out.push(
                    IssueBuilder::new(self, doc)
                        .at(v)
                        .keys(job.path().key("variables").key(k))
                        .job(job.id)
                        .title(format!(
                            "job requests `id_tokens` but is still fed the stored cloud key `{k}`: a long-lived key left beside OIDC"
                        ))
                        .secrets(v.str().map(variable_names).unwrap_or_default())
                        .build(),
                );
            }
        }
    }
}

/// The CI/CD variables a value expands (`$NAME`, `${NAME}`), and any
/// `secrets.NAME` it names.
fn variable_names(value: &str) -> Vec<String> {
    let mut out: Vec<String> = secret_names(value).into_iter().collect();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        let tail = rest[i + 1..].trim_start_matches('{');
        let name: String = tail
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::{CiDocument, ParsedDocs};

    fn run(text: &str) -> Vec<crate::ci::CiIssue> {
        let docs = [CiDocument {
            repo: None,
            path: ".gitlab-ci.yml".into(),
            system: CiSystem::Gitlab,
            text: text.into(),
        }];
        ParsedDocs::new(&docs).audit_with(&[&StaticKeysBesideOidc])
    }

    #[test]
    fn a_key_left_beside_id_tokens_is_reported() {
        let bad = "deploy:\n  id_tokens:\n    T: { aud: https://gitlab.com }\n  variables:\n    AWS_SECRET_ACCESS_KEY: ${PROD_AWS_SECRET}\n  script:\n    - aws s3 ls\n";
        let issues = run(bad);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].line, 5);
        assert_eq!(
            issues[0].keys.as_deref(),
            Some("deploy.variables.AWS_SECRET_ACCESS_KEY")
        );
        assert_eq!(issues[0].secrets, vec!["PROD_AWS_SECRET"]);
        // Without id_tokens it is the static-credentials audit's issue.
        assert!(
            run(&bad.replace("  id_tokens:\n    T: { aud: https://gitlab.com }\n", "")).is_empty()
        );
        // A literal is a hardcoded secret (the rules' business), not a stored one.
        assert!(run(&bad.replace("${PROD_AWS_SECRET}", "plain")).is_empty());
    }

    #[test]
    fn pipeline_variables_reach_oidc_jobs() {
        let bad = "variables:\n  AWS_ACCESS_KEY_ID: $KEY\nplan:\n  script: [make]\napply:\n  id_tokens:\n    T: { aud: x }\n  script: [make]\n";
        let issues = run(bad);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].title.contains("`apply`"), "{}", issues[0].title);
        assert!(run(&bad.replace("  id_tokens:\n    T: { aud: x }\n", "")).is_empty());
    }
}
