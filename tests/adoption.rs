//! What a team adopting keysprawl relies on (issue #19): a first run on this
//! project's own checkout is clean, every run says on stderr what it covered
//! (also with `-o` and `--quiet`), and a run that covered nothing fails.

mod common;

use common::*;
use std::path::Path;

fn fake_pat() -> String {
    github_token("ghp", 7)
}

#[test]
fn a_scan_of_this_checkout_reports_nothing_and_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(root, &["scan", ".", "-f", "json", "-q"]);
    let report = json(&out);
    let found: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            let at = &f["locations"][0];
            format!("{} at {}:{}", f["rule"]["id"], at["path"], at["line"])
        })
        .collect();
    assert!(
        found.is_empty(),
        "the checkout's .keysprawl.toml must cover every example: {found:#?}"
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // It did scan the project (the config excludes examples, not the source).
    assert!(report["summary"]["files_scanned"].as_u64().unwrap_or(0) > 100);
}

#[test]
fn every_run_prints_one_summary_line_on_stderr_also_with_an_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "app/.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    write(dir.path(), "app/main.py", "print('hello')\n");
    let report = dir.path().join("report.json");
    let out = run(
        dir.path(),
        &[
            "scan",
            "app",
            "-f",
            "json",
            "-o",
            report.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the report went to the file");
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("keysprawl: "))
        .unwrap_or_else(|| panic!("no summary line in: {err}"));
    assert!(line.contains("1 finding (critical 1, high 0"), "{line}");
    assert!(line.contains("in 2 files, 0 blobs, 0 commits"), "{line}");
    assert!(line.contains("0 errors"), "{line}");
    assert!(
        !err.contains(&fake_pat()),
        "the secret never reaches the log"
    );
}

#[test]
fn quiet_keeps_only_the_summary_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    for format in ["json", "sarif", "text"] {
        let out = run(dir.path(), &["scan", ".", "-q", "-f", format]);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{format}: {err}");
        assert!(err.starts_with("keysprawl: 1 finding"), "{format}: {err}");
    }
}

#[test]
fn a_history_scan_counts_its_commits_in_the_line_and_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    git_init(dir.path());
    write(dir.path(), "a.txt", "one\n");
    commit_at(dir.path(), "first", "2024-01-01T00:00:00Z");
    write(dir.path(), "a.txt", "two\n");
    commit_at(dir.path(), "second", "2024-01-02T00:00:00Z");
    let out = run(dir.path(), &["scan", "--history", ".", "-f", "json", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 2);
    assert!(stderr(&out).contains(" 2 commits"), "{}", stderr(&out));
}

#[test]
fn a_run_that_covered_nothing_says_so_in_the_line_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = run(dir.path(), &["scan", "empty", "-q", "-f", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("in 0 files") && err.contains("nothing was scanned"),
        "{err}"
    );
}

#[test]
fn the_text_report_ends_with_tallies_by_severity_and_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    write(
        dir.path(),
        "b.env",
        format!("GH={}\n", github_token("ghp", 8)),
    );
    let out = run(dir.path(), &["scan", ".", "-q"]);
    let text = stdout(&out);
    assert!(
        text.contains("Summary: 2 findings (critical 2, high 0, medium 0, low 0, info 0;"),
        "{text}"
    );
    assert!(text.contains("  by rule: github-pat 2"), "{text}");
}

fn scan_json(dir: &Path, args: &[&str]) -> (serde_json::Value, std::process::Output) {
    let mut all = vec!["scan", ".", "-f", "json", "-q"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    (json(&out), out)
}

fn fingerprints(report: &serde_json::Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn gitleaks_allow_comments_are_honoured_and_the_marker_list_is_configurable() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.py",
        format!(
            "A = '{}'  # gitleaks:allow\nB = '{}'  # keysprawl:allow\n",
            fake_pat(),
            github_token("ghp", 9)
        ),
    );
    let (report, out) = scan_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(findings(&report).is_empty());
    // `--allow-marker` replaces the list: only its markers count.
    let (report, out) = scan_json(dir.path(), &["--allow-marker", "keysprawl:allow"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<u64> = findings(&report)
        .iter()
        .map(|f| f["locations"][0]["line"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(lines, [1]);
}

#[test]
fn keysprawl_ignore_accepts_a_finding_and_unused_entries_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "app/a.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    write(
        dir.path(),
        "app/b.env",
        format!("GITHUB_TOKEN={}\n", github_token("ghp", 11)),
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let fps = fingerprints(&report);
    assert_eq!(fps.len(), 2);
    // The 16 digits the text report shows are enough.
    let short = &fps[0][..16];
    let out = run(
        dir.path(),
        &["ignore", short, "--reason", "test token, revoked"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = run(dir.path(), &["ignore", short, "--reason", "twice"]);
    assert!(
        stderr(&again).contains("already has this entry"),
        "{}",
        stderr(&again)
    );
    let unused = "ab".repeat(32);
    assert_eq!(run(dir.path(), &["ignore", &unused]).status.code(), Some(0));
    let file = std::fs::read_to_string(dir.path().join(".keysprawlignore")).expect("written");
    assert!(
        file.contains(&format!("{short}  # test token, revoked")),
        "{file}"
    );
    let (report, out) = scan_json(dir.path(), &[]);
    assert_eq!(fingerprints(&report), [fps[1].clone()], "{}", stderr(&out));
    let notes = report["summary"]["notes"].to_string();
    assert!(
        notes.contains(".keysprawlignore:4: this ignore entry matched no finding"),
        "{notes}"
    );
    // Not a fingerprint: refused, naming what is wrong.
    let bad = run(dir.path(), &["ignore", "ghp_x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("is not a fingerprint"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn an_ignore_entry_with_a_path_covers_only_that_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pat = fake_pat();
    write(dir.path(), "tests/fixture.env", format!("T={pat}\n"));
    write(dir.path(), "deploy/prod.env", format!("T={pat}\n"));
    let (report, _) = scan_json(dir.path(), &[]);
    let fp = fingerprints(&report).remove(0);
    write(
        dir.path(),
        ".keysprawlignore",
        format!("{fp}  tests/**  # fixture\n"),
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let paths: Vec<String> = findings(&report)[0]["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(paths, ["deploy/prod.env"]);
}

#[test]
fn gitleaksignore_lines_and_gitleaks_json_reports_carry_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (fake_pat(), github_token("ghp", 12));
    write(dir.path(), "src/a.env", format!("x=1\nGITHUB_TOKEN={a}\n"));
    write(dir.path(), "src/b.env", format!("GITHUB_TOKEN={b}\n"));
    write(
        dir.path(),
        ".gitleaksignore",
        "src/a.env:github-pat:2\nsrc/gone.env:x:9\n",
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let left: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["locations"][0]["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(left, ["src/b.env"]);
    assert!(
        report["summary"]["notes"]
            .to_string()
            .contains(".gitleaksignore:2")
    );
    // A gitleaks JSON report as the baseline: its secrets, by file.
    let gl = serde_json::json!([{
        "Description": "GitHub Personal Access Token", "StartLine": 1, "EndLine": 1,
        "StartColumn": 14, "EndColumn": 53, "Match": format!("GITHUB_TOKEN={b}"),
        "Secret": b, "File": "src/b.env", "SymlinkFile": "", "Commit": "", "Entropy": 4.9,
        "Author": "", "Email": "", "Date": "", "Message": "", "Tags": [],
        "RuleID": "github-pat", "Fingerprint": "src/b.env:github-pat:1"
    }]);
    // Outside the scanned tree: a gitleaks report holds its secrets in clear.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let base = elsewhere.path().join("gitleaks.json");
    std::fs::write(&base, gl.to_string()).expect("write");
    let (report, out) = scan_json(dir.path(), &["--baseline", base.to_str().expect("utf-8")]);
    assert!(findings(&report).is_empty(), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_commit_cannot_add_its_own_ignore_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    git_init(dir.path());
    write(dir.path(), "README", "hello\n");
    commit_at(dir.path(), "first", "2024-01-01T00:00:00Z");
    write(
        dir.path(),
        "app.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let fp = fingerprints(&report).remove(0);
    write(dir.path(), ".keysprawlignore", format!("{fp}\n"));
    git(dir.path(), &["add", "-A"]);
    let out = run(dir.path(), &["scan", "--staged"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the ignore file of HEAD applies, not the staged one"
    );
}

#[test]
fn a_staged_edit_of_a_file_with_an_old_secret_does_not_block_but_a_new_secret_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    git_init(dir.path());
    write(
        dir.path(),
        "app.env",
        format!("GITHUB_TOKEN={}\nx=1\n", fake_pat()),
    );
    commit_at(dir.path(), "first", "2024-01-01T00:00:00Z");
    write(
        dir.path(),
        "app.env",
        format!("GITHUB_TOKEN={}\nx=2\n", fake_pat()),
    );
    git(dir.path(), &["add", "-A"]);
    let out = run(dir.path(), &["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("1 secret already in HEAD"),
        "{}",
        stdout(&out)
    );
    let new = github_token("ghp", 13);
    write(
        dir.path(),
        "app.env",
        format!("GITHUB_TOKEN={}\nx=2\nOTHER={new}\n", fake_pat()),
    );
    git(dir.path(), &["add", "-A"]);
    let out = run(dir.path(), &["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // A few lines: what, where, and how to fix, allow or skip; no posture.
    assert!(
        text.starts_with("keysprawl blocked the commit: this commit adds 1 secret:"),
        "{text}"
    );
    assert!(text.contains("app.env:3"), "{text}");
    assert!(
        text.contains("keysprawl:allow") && text.contains("--no-verify"),
        "{text}"
    );
    assert!(!text.contains("posture"), "{text}");
    assert!(!text.contains(&new), "redacted");
    assert!(text.lines().count() <= 8, "{text}");
}

#[test]
fn import_gitleaks_converts_global_allowlists_into_a_config_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        ".gitleaks.toml",
        r#"
title = "acme"
[extend]
useDefault = true

[allowlist]
description = "global"
paths = ['''(^|/)testdata/''', '''\.lock$''']
regexes = ['''^EXAMPLE[0-9]+$''']
stopwords = ["dummy"]
commits = ["cd5226711335c68be1e720b318b7bc3135a30eb2"]

[[rules]]
id = "acme-key"
regex = '''acme_[a-z0-9]{32}'''
[rules.allowlist]
paths = ['''fixtures/''']
"#,
    );
    let out = run(
        dir.path(),
        &["config", "import-gitleaks", "-o", ".keysprawl.toml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cfg = std::fs::read_to_string(dir.path().join(".keysprawl.toml")).expect("written");
    assert!(cfg.contains("path_regexes"), "{cfg}");
    assert!(cfg.contains("(?i)dummy"), "{cfg}");
    assert!(
        cfg.contains("# not converted:") && cfg.contains("acme-key"),
        "{cfg}"
    );
    // It loads, and its path regexes allow what gitleaks allowed.
    write(
        dir.path(),
        "testdata/a.env",
        format!("GITHUB_TOKEN={}\n", fake_pat()),
    );
    write(
        dir.path(),
        "src/a.env",
        format!("GITHUB_TOKEN={}\n", github_token("ghp", 14)),
    );
    let (report, out) = scan_json(dir.path(), &[]);
    let paths: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["locations"][0]["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(paths, ["src/a.env"], "{}", stderr(&out));
    // Never overwritten.
    let again = run(
        dir.path(),
        &["config", "import-gitleaks", "-o", ".keysprawl.toml"],
    );
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn findings_can_be_filtered_by_severity_and_the_rest_are_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.env",
        format!("GITHUB_TOKEN={}\nDB_PASSWORD=Zq8x2lm9v4b7nWq\n", fake_pat()),
    );
    let (report, out) = scan_json(dir.path(), &["--min-severity", "critical"]);
    let severities: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["severity"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(severities, ["critical"]);
    assert_eq!(report["summary"]["below_min_severity"], 1);
    assert_eq!(out.status.code(), Some(1));
    // Nothing at that level: the run passes, and says what it left out.
    std::fs::write(dir.path().join("a.env"), "DB_PASSWORD=Zq8x2lm9v4b7nWq\n").expect("write");
    let out = run(dir.path(), &["scan", ".", "--min-severity", "high", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("1 finding below --min-severity not shown"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_text_report_shows_each_finding_in_its_redacted_line_of_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    git_init(dir.path());
    let (a, b) = (fake_pat(), github_token("ghp", 31));
    // Two secrets on one line: each finding's line hides both.
    write(
        dir.path(),
        "deploy.sh",
        format!("export A={a} B={b}  # deploy keys\n"),
    );
    commit_at(dir.path(), "keys", "2024-01-01T00:00:00Z");
    let out = run(dir.path(), &["scan", "--history", ".", "-q"]);
    let text = stdout(&out);
    assert!(!text.contains(&a) && !text.contains(&b), "{text}");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("export A="))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for l in &lines {
        assert!(
            l.contains("********") && l.ends_with("# deploy keys"),
            "{l}"
        );
    }
    // A history finding says how to see the file as the commit had it.
    let commit = git(dir.path(), &["rev-parse", "--short=12", "HEAD"]);
    assert!(
        text.contains(&format!("git show {}:deploy.sh", commit.trim())),
        "{text}"
    );
}
