//! What the audits need to know about each CI system: how to walk its jobs
//! and steps, and the conventions every system shares (which environment
//! names carry long-lived cloud keys, how a value names a stored secret).

pub mod circleci;
pub mod generic;
pub mod github;
pub mod gitlab;
pub mod jenkins;

use std::collections::BTreeSet;

use super::CiSystem;
use super::yaml::Node;

/// Environment names whose values are long-lived cloud credentials.
pub const STATIC_ENV: &[&str] = &[
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
pub fn from_store(v: &str) -> bool {
    v.contains("secrets.")
        || v.trim_start().starts_with('$')
        || v.contains("$(")
        || v.contains("${")
}

/// `${{ secrets.NAME }}` → NAME, every one in `text` (`GITHUB_TOKEN`, which
/// every workflow has, excluded).
pub fn secret_names(text: &str) -> BTreeSet<String> {
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

/// How a step is named to a person: its `name`, `id` or `uses`, else the
/// first line of its `run` (shortened), else its 1-based position.
pub fn step_name(step: &Node, idx: usize) -> String {
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

/// The mapping whose entries are the jobs, for attributing lines: GitHub
/// and CircleCI keep them under `jobs`, the others at the top level.
pub fn job_entries(system: CiSystem, root: &Node) -> &[(String, Node)] {
    match system {
        CiSystem::GithubActions | CiSystem::Circleci => {
            root.get("jobs").map(Node::entries).unwrap_or_default()
        }
        _ => root.entries(),
    }
}

/// Environment entries of a mapping (`env:`, `environment:`, `variables:`)
/// that feed a long-lived cloud key from the secret store: (name, value
/// node, the stored secrets it names).
pub fn static_env(env: Option<&Node>) -> Vec<(&str, &Node, BTreeSet<String>)> {
    let Some(env) = env else { return Vec::new() };
    env.entries()
        .iter()
        .filter(|(k, _)| STATIC_ENV.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let s = v.str()?;
            from_store(s).then(|| (k.as_str(), v, secret_names(s)))
        })
        .collect()
}
