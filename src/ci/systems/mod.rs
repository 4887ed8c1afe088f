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
/// command its `run` starts with (`run: curl …`), else its 1-based
/// position.
///
/// Only the command word of a `run` is quoted: the rest of the line is
/// where hardcoded secrets sit (`curl -H "Authorization: Bearer …"`), and
/// a step name is shown unredacted wherever the finding is.
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
            let mut words = first.split_whitespace();
            let word = words.next().unwrap_or("");
            // `TOKEN=value cmd`: the name of the variable, not its value.
            let (word, cut) = match word.split_once('=') {
                Some((name, _)) => (name, true),
                None => (word, false),
            };
            let safe = word.chars().count() <= 32
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._/-+:".contains(c));
            let more = cut || words.next().is_some() || !safe;
            let shown = if safe { word } else { "" };
            let sep = if shown.is_empty() || !more { "" } else { " " };
            let eq = if cut && safe { "=" } else { "" };
            format!("run: {shown}{eq}{sep}{}", if more { "…" } else { "" })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::parse_yaml;

    fn name_of(step: &str) -> String {
        step_name(&parse_yaml(step).expect("yaml"), 2)
    }

    #[test]
    fn run_steps_are_named_by_their_command_only() {
        assert_eq!(name_of("name: deploy\nrun: make"), "deploy");
        assert_eq!(name_of("run: make"), "run: make");
        assert_eq!(name_of("run: ./deploy.sh --prod\n"), "run: ./deploy.sh …");
        assert_eq!(
            name_of("run: |\n  curl -H \"Authorization: Bearer sk_live_0123456789abcdef\" x\n"),
            "run: curl …"
        );
        assert_eq!(name_of("run: TOKEN=s3cr3t-value ./x.sh"), "run: TOKEN= …");
        assert_eq!(name_of("run: 'quoted$(cmd)'"), "run: …");
        assert_eq!(name_of("env: {}"), "step 3");
    }
}
