//! `--min-confidence`: what is reported, what gates, and how the text report
//! shows low-confidence findings; `context` of locations from path and content.

mod common;

use common::{findings, json, run, stderr, stdout, write};

const WEAK_RULE: &str = r#"[[rules]]
id = "acme-weak"
name = "Acme maybe-key"
provider = "acme"
keywords = ["acme_hint"]
pattern = 'acme_hint=(?P<secret>[a-z0-9]{12})'
lifetime = "static"
severity = "medium"
confidence = "low"
examples = ["acme_hint=q8x2lm9v4b7n"]
"#;

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/acme.toml", WEAK_RULE);
    write(dir.path(), "src/app.cfg", "acme_hint=q8x2lm9v4b7n\n");
    // A provider-format token: high confidence.
    write(
        dir.path(),
        "src/deploy.sh",
        format!("export GH={}\n", common::github_token("ghp", 7)),
    );
    dir
}

#[test]
fn low_confidence_findings_are_counted_not_reported_by_default() {
    let dir = tree();
    let out = run(
        dir.path(),
        &["scan", "src", "--rules", "rules", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let ids: Vec<&str> = findings(&r)
        .iter()
        .map(|f| f["rule"]["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["github-pat"]);
    assert_eq!(findings(&r)[0]["confidence"], "high");
    assert_eq!(r["summary"]["below_min_confidence"], 1);
}

#[test]
fn min_confidence_low_lists_them_last_in_the_text_report() {
    let dir = tree();
    let out = run(
        dir.path(),
        &["scan", "src", "--rules", "rules", "--min-confidence", "low"],
    );
    let text = stdout(&out);
    let pat = text.find("[github-pat]").expect("github finding shown");
    let fold = text
        .find("1 low-confidence finding")
        .expect("a heading for the low-confidence findings");
    let weak = text.find("[acme-weak]").expect("the weak finding shown");
    assert!(pat < fold && fold < weak, "{text}");
    assert!(text.contains("confidence: low"), "{text}");
}

#[test]
fn the_gate_respects_min_confidence() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/acme.toml", WEAK_RULE);
    write(dir.path(), "src/app.cfg", "acme_hint=q8x2lm9v4b7n\n");
    // Only a low-confidence finding: the default gate passes, and says why.
    let out = run(dir.path(), &["scan", "src", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 finding below --min-confidence not shown"),
        "{}",
        stdout(&out)
    );
    let out = run(
        dir.path(),
        &["scan", "src", "--rules", "rules", "--min-confidence", "low"],
    );
    assert_eq!(out.status.code(), Some(1));
    // `high` hides medium findings too.
    write(dir.path(), "src/db.env", "DB_PASSWORD=Kq7vR2mzLp9wXt4\n");
    let out = run(
        dir.path(),
        &["scan", "src", "--min-confidence", "high", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&json(&out)).is_empty());
}

#[test]
fn locations_carry_their_context_and_a_finding_the_most_production_like() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pw = "DB_PASSWORD=Kq7vR2mzLp9wXt4\n";
    write(dir.path(), "tests/fixtures/db.env", pw);
    write(dir.path(), "config/prod.env", pw);
    write(
        dir.path(),
        "src/db_helpers.py",
        "import pytest\n\nDB_PASSWORD = \"Wm4nQ8vT2zLr6Kp\"\n",
    );
    write(dir.path(), "docs/setup.md", "DB_PASSWORD=Zx8cV6bN4mQ2wE9\n");
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let r = json(&out);
    let ctx = |needle: &str| {
        findings(&r)
            .iter()
            .find(|f| {
                f["locations"].as_array().is_some_and(|ls| {
                    ls.iter()
                        .any(|l| l["path"].as_str().unwrap_or("").contains(needle))
                })
            })
            .map(|f| f["context"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no finding in {needle}: {r}"))
    };
    assert_eq!(
        ctx("prod.env"),
        "config",
        "test + config copies: config wins"
    );
    assert_eq!(
        ctx("db_helpers.py"),
        "test",
        "a source file importing pytest"
    );
    assert_eq!(ctx("setup.md"), "example");
    let shared = findings(&r)
        .iter()
        .find(|f| f["reuse"]["files"] == 2)
        .expect("the reused password");
    let mut contexts: Vec<&str> = shared["locations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| l["context"].as_str().unwrap_or(""))
        .collect();
    contexts.sort();
    assert_eq!(contexts, ["config", "test"]);
}
