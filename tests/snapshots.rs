//! What a user reads, locked down: every report format on one fixture tree,
//! `rules list` and `rules check`, the `--help` texts, and the JSON
//! contract's schema (`docs/schema/report-v1.json`), which the reports the
//! binary writes must validate against.
//!
//! A change to any output shows up here as a snapshot diff: review it with
//! `cargo insta review`, or accept all with `INSTA_UPDATE=always cargo test
//! --test snapshots` (then read `git diff tests/snapshots`). The schema
//! file is rewritten with `UPDATE_SCHEMA=1 cargo test --test snapshots`.
//!
//! Everything that varies between runs is normalised by filters: the
//! duration, keysprawl's version and the days since a commit. Fingerprints
//! of weak secrets are stable because the run sets
//! `KEYSPRAWL_FINGERPRINT_KEY`; strong ones use the public key anyway.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::ValueEnum as _;
use common::{commit_at, git_init, github_token, write};
use keysprawl::report::Format;

/// The fixture tree, made fresh in a temp dir from generated tokens (no
/// literal secret is committed): a git repository with one token that was
/// committed and then deleted, and a work tree holding a token in three
/// files (one a GitHub workflow that also hands stored cloud keys to
/// pull-request code), an AWS key pair and a weak password.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    // Commit dates lie more than 600 days back, where risk stops growing
    // with exposure age, so only `exposure_days` itself (filtered) moves.
    let gone = github_token("ghp", 2);
    write(d, "old.env", format!("GITHUB_TOKEN={gone}\n"));
    commit_at(d, "first", "2023-01-02T03:04:05Z");
    std::fs::remove_file(d.join("old.env")).expect("rm");
    let tok = github_token("ghp", 1);
    write(d, "config/app.env", format!("GITHUB_TOKEN={tok}\n"));
    write(d, "src/settings.py", format!("TOKEN = \"{tok}\"\n"));
    // A made-up key pair (the one tests/validation.rs signs with), pieced
    // together so no whole key sits in this file.
    let (id, secret) = (
        ["AKIA", "FEOD7WGWQAUMJFE6"].concat(),
        ["fhPdrkGoWsPqqkaIWumubj8m", "AKK+XTICOa1P70iB"].concat(),
    );
    write(
        d,
        "deploy/aws.ini",
        format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n"),
    );
    write(
        d,
        "db.yml",
        format!("database:\n  password: {}\n", ["Winter", "2023!"].concat()),
    );
    write(
        d,
        ".github/workflows/deploy.yml",
        format!(
            "on: pull_request_target\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{{{ github.event.pull_request.head.sha }}}}\n      - run: ./deploy.sh\n        env:\n          AWS_ACCESS_KEY_ID: ${{{{ secrets.AWS_KEY }}}}\n          AWS_SECRET_ACCESS_KEY: ${{{{ secrets.AWS_SECRET }}}}\n          TOKEN: {tok}\n"
        ),
    );
    commit_at(d, "second", "2024-01-02T03:04:05Z");
    dir
}

/// Run keysprawl in `dir` with a fixed fingerprint key and nothing else
/// from the environment that changes output.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("KEYSPRAWL_FINGERPRINT_KEY", "snapshot-fingerprint-key")
        .env_remove("KEYSPRAWL_PUBLIC_FINGERPRINTS")
        .env_remove("KEYSPRAWL_MAX_LOCATIONS")
        .env_remove("KEYSPRAWL_TIMING")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("run keysprawl")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// The insta filters: what differs between runs and builds.
fn filters() -> Vec<(String, &'static str)> {
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    vec![
        (r#""duration_ms": ?\d+"#.into(), r#""duration_ms": "[ms]""#),
        (r"\d+ ms\b".into(), "[ms] ms"),
        (format!(r#""{version}""#), r#""[version]""#),
        (format!(r"keysprawl {version}\b"), "keysprawl [version]"),
        (
            r#""exposure_days": ?\d+"#.into(),
            r#""exposure_days": "[days]""#,
        ),
        (r"\b\d+ days?\b".into(), "[days] days"),
    ]
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {{
        let filters = filters();
        let mut settings = insta::Settings::clone_current();
        for (re, with) in &filters {
            settings.add_filter(re, *with);
        }
        settings.set_prepend_module_to_snapshot(true);
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}

fn format_name(f: &Format) -> String {
    f.to_possible_value()
        .expect("every format has a name")
        .get_name()
        .to_string()
}

#[test]
fn every_report_format_on_the_fixture_tree() {
    let dir = fixture();
    for format in Format::value_variants() {
        let name = format_name(format);
        let out = run(dir.path(), &["scan", ".", "--format", &name]);
        assert_eq!(out.status.code(), Some(1), "{name}: findings exit 1");
        // Only the summary line: no progress display off a terminal.
        let err = common::stderr(&out);
        assert!(
            err.lines().count() == 1 && err.starts_with("keysprawl: "),
            "{name}: {err}"
        );
        snapshot!(format!("scan_{name}"), stdout(&out));
    }
}

#[test]
fn a_history_scan_as_json() {
    let dir = fixture();
    let out = run(dir.path(), &["scan", ".", "--history", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot!("scan_history_json", stdout(&out));
}

/// A user rule, to show `rules list --format json` whole on something
/// small (the built-in list is 600 KB; its text form is snapshotted).
const ACME_RULE: &str = r#"[[rules]]
id = "acme-key"
name = "Acme key"
provider = "acme"
description = "An Acme API key."
keywords = ["acme_"]
pattern = '\b(?P<secret>acme_[a-z0-9]{16})\b'
lifetime = "static"
severity = "high"
examples = ["k = acme_q8x2lm9v4b7n1z3w"]
negative_examples = ["acme_short"]
"#;

#[test]
fn rules_list_and_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "acme.toml", ACME_RULE);
    let cases: &[(&str, &[&str])] = &[
        ("rules_list", &["rules", "list"]),
        (
            "rules_list_json_user_rule",
            &[
                "rules",
                "list",
                "--format",
                "json",
                "--no-builtin-rules",
                "--rules",
                "acme.toml",
            ],
        ),
        ("rules_check", &["rules", "check"]),
        ("rules_check_json", &["rules", "check", "--json"]),
    ];
    for (name, args) in cases {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{name}");
        snapshot!(*name, stdout(&out));
    }
    // The built-in list as JSON, summarised: each field and how many rules
    // set it (not null, false or empty), so a field that appears, goes or
    // spreads shows up without 600 KB of snapshot.
    let out = run(dir.path(), &["rules", "list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON list");
    let mut fields: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for r in &rules {
        for (k, v) in r.as_object().expect("a rule is an object") {
            let set = !matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false))
                && v.as_array().is_none_or(|a| !a.is_empty())
                && v.as_str().is_none_or(|s| !s.is_empty());
            let e = fields.entry(k.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(set);
        }
    }
    let mut summary = vec![format!("{} rules", rules.len())];
    summary.extend(
        fields
            .iter()
            .map(|(k, (present, set))| format!("{k}: in {present}, set in {set}")),
    );
    snapshot!("rules_list_json_fields", summary.join("\n"));
}

#[test]
fn help_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &[&str])] = &[
        ("help", &["--help"]),
        ("help_scan", &["scan", "--help"]),
        ("help_rules", &["rules", "--help"]),
        ("help_rules_list", &["rules", "list", "--help"]),
        ("help_report_schema", &["report-schema", "--help"]),
    ];
    for (name, args) in cases {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{name}");
        snapshot!(*name, stdout(&out));
    }
}

fn schema_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/report-v1.json")
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["report-schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = stdout(&out);
    assert_eq!(printed, keysprawl::report::v1::schema_json());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &printed).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == printed,
        "docs/schema/report-v1.json is out of date with src/report/v1.rs; run `UPDATE_SCHEMA=1 cargo test --test snapshots` (and only add fields: see the v1.rs module docs)"
    );
}

/// Every report the binary writes on the fixture tree, work tree and
/// history, redacted and not, validates against the committed schema; each
/// `jsonl` line validates as a finding.
#[test]
fn reports_validate_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).expect("read schema"))
            .expect("the schema is JSON");
    let report = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let finding_schema = serde_json::json!({
        "$schema": schema["$schema"],
        "$ref": "#/$defs/V1Finding",
        "$defs": schema["$defs"],
    });
    let finding = jsonschema::validator_for(&finding_schema).expect("finding schema");
    let dir = fixture();
    let check = |what: &str, doc: &serde_json::Value, v: &jsonschema::Validator| {
        let errors: Vec<String> = v
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what} does not validate: {errors:#?}");
    };
    for extra in [&[][..], &["--history"][..], &["--show-secrets"][..]] {
        let args = [&["scan", ".", "--format", "json"][..], extra].concat();
        let out = run(dir.path(), &args);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        assert!(!doc["findings"].as_array().expect("findings").is_empty());
        assert!(!doc["ci"].as_array().expect("ci").is_empty());
        check(&format!("json {extra:?}"), &doc, &report);
        let args = [&["scan", ".", "--format", "jsonl"][..], extra].concat();
        let out = run(dir.path(), &args);
        for line in stdout(&out).lines() {
            let doc: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            check(&format!("jsonl {extra:?}"), &doc, &finding);
        }
    }
    // And the schema is not vacuous: a report missing a required field, or
    // with a severity the contract does not know, fails.
    let out = run(dir.path(), &["scan", ".", "--format", "json"]);
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["findings"][0]["severity"] = "catastrophic".into();
    assert!(!report.is_valid(&doc));
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc.as_object_mut().expect("object").remove("summary");
    assert!(!report.is_valid(&doc));
}

/// A report is a baseline: written with `-f json`, read back by
/// `--baseline`, it silences everything it lists.
#[test]
fn a_v1_report_is_a_baseline() {
    let dir = fixture();
    let first = run(dir.path(), &["scan", ".", "--history", "--format", "json"]);
    assert_eq!(first.status.code(), Some(1));
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let base = elsewhere.path().join("base.json");
    std::fs::write(&base, &first.stdout).expect("write baseline");
    let again = run(
        dir.path(),
        &[
            "scan",
            ".",
            "--history",
            "--format",
            "json",
            "--baseline",
            base.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    let doc: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert!(doc["summary"]["suppressed"].as_u64().is_some_and(|n| n > 0));
}
