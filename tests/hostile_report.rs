//! What a reader of the report sees when the scanned content is hostile:
//! forged text, secrets in "descriptive" parts, weak passwords behind a
//! fingerprint, millions of hits, huge CI files.

mod common;

use common::*;

/// The text report shows hostile names escaped: no raw control byte, each
/// location on one line.
#[test]
fn text_report_escapes_file_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 501);
    let name = "a\x1b]0;pwned\x07b\nc.env";
    write(dir.path(), name, format!("TOKEN={tok}\n"));
    let out = run(dir.path(), &["scan", "."]);
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "raw ESC in the report: {text:?}");
    assert!(!text.contains('\x07'), "raw BEL in the report: {text:?}");
    assert!(
        text.lines()
            .any(|l| l.contains(r"at a\x1b]0;pwned\x07b\nc.env:1:7")),
        "the location is one escaped line: {text}"
    );
    // JSON keeps the real name (serde escapes it).
    let out = run(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(json(&out)["findings"][0]["locations"][0]["path"], name);
}

/// A commit author's name reaches the history report escaped.
#[test]
fn history_report_escapes_author_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    git_init(dir.path());
    let tok = github_token("ghp", 502);
    write(dir.path(), "app.env", format!("TOKEN={tok}\n"));
    git(dir.path(), &["add", "-A"]);
    git_env(
        dir.path(),
        &["commit", "-q", "-m", "add"],
        &[
            ("GIT_AUTHOR_NAME", "Mallory \x1b[2J\x1b[31mEvil\u{202e}gnp"),
            ("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z"),
            ("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z"),
        ],
    );
    let out = run(dir.path(), &["scan", ".", "--history"]);
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "raw ESC in the report: {text:?}");
    assert!(!text.contains('\u{202e}'), "raw bidi override: {text:?}");
    assert!(
        text.contains(r"by Mallory \x1b[2J\x1b[31mEvil\u{202e}gnp"),
        "{text}"
    );
}
