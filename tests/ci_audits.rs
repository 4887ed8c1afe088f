//! One snapshot per CI audit: the real binary scans a temp repository
//! holding the audit's `testdata/ci/<audit-id>/bad-*` fixtures at the paths
//! their CI system reads, and the issues it reports are compared with
//! `tests/snapshots/ci_audits__<audit-id>.snap`. The `good-*` fixtures (the
//! fixed form of the same pipelines) must yield no CI issue at all.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn fixtures_dir(audit: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/ci")
        .join(audit)
}

/// Where a fixture goes in a repository, by the system its name names:
/// `bad-github-2.yml` → `.github/workflows/bad-github-2.yml`.
fn place(name: &str) -> String {
    let system = name.split(['-', '.']).nth(1).unwrap_or("");
    match system {
        "github" => format!(".github/workflows/{name}"),
        "gitlab" => ".gitlab-ci.yml".into(),
        "circleci" => ".circleci/config.yml".into(),
        "azure" => "azure-pipelines.yml".into(),
        "bitbucket" => "bitbucket-pipelines.yml".into(),
        "travis" => ".travis.yml".into(),
        "buildkite" => format!(".buildkite/{name}"),
        "jenkins" => "Jenkinsfile".into(),
        other => panic!("fixture {name}: unknown CI system {other:?}"),
    }
}

/// A repository of the audit's `side` (`bad` or `good`) fixtures, and the
/// JSON report of scanning it.
fn scan(audit: &str, side: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir(audit))
        .expect("fixture dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{side}-")))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "{audit}: no {side}-* fixtures");
    let mut placed = Vec::new();
    for n in &names {
        let at = place(n);
        assert!(!placed.contains(&at), "{audit}: two fixtures for {at}");
        let text = std::fs::read(fixtures_dir(audit).join(n)).expect("read fixture");
        write(dir.path(), &at, text);
        placed.push(at);
    }
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    json(&out)
}

/// The issues of `audit` in a report, and what the posture counts for it.
fn of_audit(r: &Value, audit: &str) -> Value {
    let issues: Vec<Value> = r["ci"]
        .as_array()
        .expect("ci issues")
        .iter()
        .filter(|i| i["kind"] == audit)
        .cloned()
        .collect();
    serde_json::json!({
        "posture": r["posture"]["ci_audits"][audit],
        "issues": issues,
    })
}

fn check(audit: &str) {
    let bad = scan(audit, "bad");
    assert_eq!(
        bad["findings"].as_array().map(Vec::len),
        Some(0),
        "{audit}: fixtures hold stored-secret references, not secrets"
    );
    let got = of_audit(&bad, audit);
    assert!(
        got["issues"].as_array().is_some_and(|a| !a.is_empty()),
        "{audit}: the bad fixtures yield no issue"
    );
    insta::assert_json_snapshot!(audit, got);
    let good = scan(audit, "good");
    assert_eq!(
        good["ci"].as_array().map(Vec::len),
        Some(0),
        "{audit}: the fixed form yields CI issues: {:#}",
        good["ci"]
    );
}

#[test]
fn static_cloud_credentials() {
    check("static_cloud_credentials");
}

#[test]
fn shared_secret() {
    check("shared_secret");
}

#[test]
fn secrets_exposed_to_untrusted_code() {
    check("secrets_exposed_to_untrusted_code");
}

#[test]
fn static_keys_beside_oidc() {
    check("static_keys_beside_oidc");
}

/// Every audit keysprawl runs (the posture lists them all) has fixtures and
/// a snapshot, so adding an audit without them fails here.
#[test]
fn every_registered_audit_has_fixtures_and_a_snapshot() {
    let r = scan("static_cloud_credentials", "good");
    let ids: Vec<&String> = r["posture"]["ci_audits"]
        .as_object()
        .expect("posture.ci_audits")
        .keys()
        .collect();
    assert!(ids.len() >= 4, "{ids:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for id in ids {
        let dir = fixtures_dir(id);
        for side in ["bad-", "good-"] {
            let has = std::fs::read_dir(&dir)
                .unwrap_or_else(|_| panic!("no testdata/ci/{id}/"))
                .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(side)));
            assert!(has, "testdata/ci/{id}/ has no {side}* fixture");
        }
        let snap = root.join(format!("tests/snapshots/ci_audits__{id}.snap"));
        assert!(snap.is_file(), "no snapshot {}", snap.display());
    }
}

/// The text posture lists every audit's count; SARIF points at the column.
#[test]
fn text_posture_and_sarif_columns_come_from_the_audits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = fixtures_dir("static_keys_beside_oidc").join("bad-gitlab.yml");
    write(
        dir.path(),
        ".gitlab-ci.yml",
        std::fs::read(fixture).expect("fixture"),
    );
    let text = stdout(&run(dir.path(), &["scan", "."]));
    assert!(
        text.contains("pipelines with stored cloud keys: 0")
            && text.contains("static keys left beside OIDC: 2"),
        "{text}"
    );
    let sarif = json(&run(dir.path(), &["scan", ".", "-f", "sarif"]));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "ci-static-keys-beside-oidc")
        .expect("a CI result");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 4);
    assert_eq!(region["startColumn"], 22);
}

/// A token hardcoded in a `run` line is not quoted back, even in part, by
/// the step name its location is attributed to, in any format.
#[test]
fn run_lines_do_not_leak_secrets_through_step_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 1616);
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        format!(
            "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {tok} | gh auth login --with-token\n"
        ),
    );
    let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
    let f = &r["findings"][0];
    assert_eq!(f["locations"][0]["ci"]["job"], "build");
    assert_eq!(f["locations"][0]["ci"]["step"], "run: echo …");
    // The redacted form keeps 4 characters at each end: no 12 in a row.
    for format in ["json", "text", "sarif"] {
        let out = stdout(&run(dir.path(), &["scan", ".", "-f", format]));
        for w in tok.as_bytes().windows(12) {
            let w = std::str::from_utf8(w).expect("ascii");
            assert!(!out.contains(w), "{format} shows {w}: {out}");
        }
    }
}
