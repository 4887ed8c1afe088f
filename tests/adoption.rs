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
