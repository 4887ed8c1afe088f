//! Errors name what failed and keep why: file, line and column of a TOML
//! mistake, the cause chain under `caused by:`, exit code 2.

mod common;

use common::{run, stderr, write};

#[test]
fn a_broken_config_names_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        ".keysprawl.toml",
        "# allow the fixtures\n[allow]\npaths = [\"testdata/**\",\n",
    );
    write(dir.path(), "a.txt", "nothing here\n");
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(".keysprawl.toml, line 3, column 24"),
        "no file, line and column: {err}"
    );
    assert!(err.contains("caused by: unclosed array"), "{err}");
}

#[test]
fn an_unknown_config_key_names_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".keysprawl.toml", "[rules]\n\nbogus = 1\n");
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(".keysprawl.toml, line 3, column 1"), "{err}");
    assert!(err.contains("unknown field `bogus`"), "{err}");
}

#[test]
fn a_broken_rule_file_names_file_rule_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "bad.toml",
        "[[rules]]\nid = \"my-rule\"\nname = \"x\"\nprovider = \"p\"\nkeywords = [\"abc\"\nlifetime = \"static\"\n",
    );
    let out = run(dir.path(), &["rules", "check", "--rules", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("rule file bad.toml, rule `my-rule`, line 6, column 1"),
        "{err}"
    );
    assert!(err.contains("caused by: "), "{err}");
}

#[test]
fn a_toml_error_never_quotes_the_line() {
    // A rule file's examples hold tokens; the error points at them, and
    // must not print them.
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = common::github_token("ghp", 7);
    write(
        dir.path(),
        "bad.toml",
        format!("[[rules]]\nid = \"r\"\nexamples = [\"{tok}\" \"x\"]\n"),
    );
    let out = run(dir.path(), &["rules", "check", "--rules", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.toml") && err.contains("line 3"), "{err}");
    assert!(!err.contains(&tok), "the error quotes the token: {err}");
}

#[test]
fn a_git_error_keeps_its_causes() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::git_init(dir.path());
    write(dir.path(), "a.txt", "x\n");
    common::commit_at(dir.path(), "one", "2024-01-02T03:04:05Z");
    let out = run(dir.path(), &["scan", ".", "--range", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no-such-branch"), "{err}");
    assert!(
        err.contains("\n  caused by: "),
        "the chain is flattened: {err}"
    );
}

#[test]
fn a_bad_baseline_says_where_it_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "b.json",
        "{\"findings\": [{\"fingerprint\": 5}]}",
    );
    let out = run(dir.path(), &["scan", ".", "--baseline", "b.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("baseline b.json"), "{err}");
    assert!(
        err.contains("caused by: ") && err.contains("line 1"),
        "{err}"
    );
}
