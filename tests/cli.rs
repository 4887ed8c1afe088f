//! The scan command end to end: the real binary on real files.

mod common;

use common::*;

fn tree_with_token() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 1);
    write(
        dir.path(),
        "src/app.py",
        format!("import os\n\nGITHUB = \"{tok}\"\n"),
    );
    write(dir.path(), ".env", format!("GH_TOKEN={tok}\n"));
    write(dir.path(), "README.md", "nothing to see\n");
    (dir, tok)
}

#[test]
fn json_report_follows_the_contract_and_groups_by_secret() {
    let (dir, tok) = tree_with_token();
    let out = run(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings exit 1: {}",
        stderr(&out)
    );
    let r = json(&out);
    assert_eq!(r["version"], 1);
    assert_eq!(r["tool"]["name"], "keysprawl");
    let findings = r["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "one finding per (rule, secret)");
    let f = &findings[0];
    assert_eq!(f["rule"]["id"], "github-pat");
    assert_eq!(f["rule"]["provider"], "github");
    assert_eq!(
        f["fingerprint"],
        keysprawl::findings::fingerprint(tok.as_bytes()),
        "fingerprint is the SHA-256 of the secret"
    );
    assert_eq!(f["validation"]["status"], "not_checked");
    assert_eq!(f["credential"]["lifetime"], "static");
    assert!(f["credential"]["expires_at"].is_null());
    assert_eq!(f["reuse"]["locations"], 2);
    assert_eq!(f["reuse"]["files"], 2);
    let locs = f["locations"].as_array().expect("locations");
    let app = locs
        .iter()
        .find(|l| l["path"] == "src/app.py")
        .expect("src/app.py location");
    assert_eq!(app["line"], 3);
    assert_eq!(app["column"], 11);
    assert_eq!(app["source"], "file");
    assert!(app["commit"].is_null());
    assert!(
        locs.iter().any(|l| l["path"] == ".env"),
        "hidden files are scanned"
    );
    let s = &r["summary"];
    assert_eq!(s["findings"], 1);
    assert_eq!(s["files_scanned"], 3);
    assert_eq!(s["static"], 1);
    assert_eq!(s["reused"], 1);
    assert!(s["errors"].as_array().expect("errors").is_empty());
}

#[test]
fn secrets_are_redacted_everywhere_unless_asked() {
    let (dir, tok) = tree_with_token();
    // Every format there is, so a new one cannot skip the guarantee.
    for format in <keysprawl::report::Format as clap::ValueEnum>::value_variants() {
        let format = clap::ValueEnum::to_possible_value(format)
            .expect("every format has a name")
            .get_name()
            .to_string();
        let out = run(dir.path(), &["scan", ".", "--format", &format]);
        assert!(
            !stdout(&out).contains(&tok),
            "{format} output leaks the secret"
        );
        assert!(
            !stderr(&out).contains(&tok),
            "{format} stderr leaks the secret"
        );
    }
    let out = run(
        dir.path(),
        &["scan", ".", "--format", "json", "--show-secrets"],
    );
    assert_eq!(json(&out)["findings"][0]["secret"], tok.as_str());
}

#[test]
fn jsonl_writes_one_finding_per_line() {
    let (dir, _) = tree_with_token();
    write(
        dir.path(),
        "other.txt",
        format!("t={}\n", github_token("ghp", 2)),
    );
    let out = run(dir.path(), &["scan", ".", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .all(|f| f["fingerprint"].as_str().is_some_and(|s| s.len() == 64))
    );
}

#[test]
fn sarif_is_what_code_scanning_reads() {
    let (dir, tok) = tree_with_token();
    let out = run(dir.path(), &["scan", ".", "--format", "sarif"]);
    let s = json(&out);
    assert_eq!(s["version"], "2.1.0");
    let run0 = &s["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "keysprawl");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules[0]["id"], "github-pat");
    assert!(rules[0]["properties"]["security-severity"].is_string());
    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "one result per location");
    let r = &results[0];
    assert_eq!(r["ruleId"], "github-pat");
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"].is_string());
    assert!(loc["region"]["startLine"].as_i64().is_some_and(|l| l >= 1));
    assert_eq!(
        r["partialFingerprints"]["secretHmacSha256/v2"],
        keysprawl::findings::fingerprint(tok.as_bytes())
    );
}

#[test]
fn text_report_names_file_and_line() {
    let (dir, _) = tree_with_token();
    let out = run(dir.path(), &["scan", "."]);
    let text = stdout(&out);
    assert!(text.contains("src/app.py:3:11"), "{text}");
    assert!(text.contains("GitHub personal access token"));
    assert!(
        !text.contains("\x1b["),
        "no colour when NO_COLOR is set / not a terminal"
    );
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "clean.txt", "hello\n");
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));
    write(
        dir.path(),
        "leak.txt",
        format!("{}\n", github_token("ghp", 3)),
    );
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(1));
    assert_eq!(
        run(dir.path(), &["scan", ".", "--fail-on", "none"])
            .status
            .code(),
        Some(0)
    );
    let missing = run(dir.path(), &["scan", "does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("does-not-exist"),
        "error names the path"
    );
    assert_eq!(
        run(dir.path(), &["scan", "--bogus-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn allow_comment_suppresses_a_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 4);
    write(
        dir.path(),
        "a.py",
        format!("T = '{tok}'  # keysprawl:allow\n"),
    );
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn baseline_reports_only_what_is_new() {
    let (dir, _) = tree_with_token();
    let base = dir.path().join("baseline.json");
    let out = run(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "-o",
            base.to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let again = run(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--baseline",
            "baseline.json",
            "--exclude",
            "baseline.json",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(
        json(&again)["summary"]["suppressed"]
            .as_u64()
            .is_some_and(|n| n >= 2)
    );
    // Moving the secret to other lines of the same file keeps it baselined.
    let tok = github_token("ghp", 1);
    write(
        dir.path(),
        "src/app.py",
        format!("\n\n\n# moved\nGITHUB = \"{tok}\"\n"),
    );
    let moved = run(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--baseline",
            "baseline.json",
            "--exclude",
            "baseline.json",
        ],
    );
    assert_eq!(moved.status.code(), Some(0), "baseline survives line moves");
    // A new secret is still reported.
    write(dir.path(), "new.txt", github_token("gho", 5));
    let new = run(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--baseline",
            "baseline.json",
            "--exclude",
            "baseline.json",
        ],
    );
    assert_eq!(new.status.code(), Some(1));
    assert_eq!(rule_ids(&json(&new)), vec!["github-oauth"]);
}

#[test]
fn bad_baseline_is_a_clear_error() {
    let (dir, _) = tree_with_token();
    write(dir.path(), "b.json", "not json");
    let out = run(dir.path(), &["scan", ".", "--baseline", "b.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("b.json"));
}

#[test]
fn config_file_allowlists_and_disables() {
    let (dir, _) = tree_with_token();
    write(
        dir.path(),
        ".keysprawl.toml",
        "[allow]\npaths = [\".env\"]\n",
    );
    let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
    let locs = r["findings"][0]["locations"].as_array().expect("locations");
    assert_eq!(locs.len(), 1);
    assert_eq!(locs[0]["path"], "src/app.py");

    write(
        dir.path(),
        ".keysprawl.toml",
        "[rules]\ndisable = [\"github-pat\"]\n",
    );
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));

    write(
        dir.path(),
        ".keysprawl.toml",
        "[allow]\nsecrets = ['^ghp_']\n",
    );
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));

    write(dir.path(), ".keysprawl.toml", "[allow]\nbogus = 1\n");
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".keysprawl.toml"), "{}", stderr(&out));
}

#[test]
fn a_key_two_providers_share_a_prefix_for_is_reported_once_as_the_right_one() {
    // Paystack and Stripe both use `sk_live_`; a Paystack key (40 hex) also fits
    // Stripe's pattern, and must not also be reported (or validated) as Stripe's.
    let dir = tempfile::tempdir().expect("tempdir");
    let paystack = format!("sk_live_{}", "f2576c15a868b022048c145f772d01e2d5cf093c");
    let stripe = format!("sk_live_{}", "m0xVQzJXtw3XVBOsrT5mH3Da");
    write(
        dir.path(),
        "a.env",
        format!("PAYSTACK_SECRET_KEY={paystack}\n"),
    );
    write(dir.path(), "b.env", format!("STRIPE_SECRET_KEY={stripe}\n"));
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let mut ids = rule_ids(&json(&out));
    ids.sort();
    assert_eq!(ids, ["paystack-secret-key", "stripe-secret-key"]);
}

#[test]
fn stdin_is_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 6);
    let out = run_stdin(
        dir.path(),
        &["scan", "-", "-f", "json"],
        format!("line1\nkey={tok}\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let loc = &r["findings"][0]["locations"][0];
    assert_eq!(loc["path"], "-");
    assert_eq!(loc["source"], "stdin");
    assert_eq!(loc["line"], 2);
}

#[test]
fn gitignore_is_honoured_and_no_ignore_overrides_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "ignored/x.txt", github_token("ghp", 7));
    write(dir.path(), ".git/config", github_token("ghp", 8));
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));
    let r = json(&run(
        dir.path(),
        &["scan", ".", "--no-ignore", "-f", "json"],
    ));
    let paths: Vec<&str> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["locations"].as_array().expect("locations"))
        .map(|l| l["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, vec!["ignored/x.txt"], ".git is never entered");
}

#[test]
fn gitignore_outside_a_git_repository_hides_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".gitignore", "*.key\nsecrets/\n");
    write(dir.path(), "secrets/x.txt", github_token("ghp", 9));
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unpacked tree is scanned whole"
    );
    let r = json(&out);
    assert_eq!(r["findings"][0]["locations"][0]["path"], "secrets/x.txt");
}

#[test]
fn exclude_globs() {
    let (dir, _) = tree_with_token();
    let out = run(
        dir.path(),
        &["scan", ".", "--exclude", "src/**", "--exclude", ".env"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = vec![0u8, 1, 2, 3];
    bytes.extend_from_slice(github_token("ghp", 9).as_bytes());
    write(dir.path(), "blob.bin", &bytes);
    let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
    assert_eq!(r["summary"]["binary_skipped"], 1);
    assert_eq!(r["summary"]["findings"], 0);
    let r = json(&run(
        dir.path(),
        &["scan", ".", "-f", "json", "--scan-binary"],
    ));
    assert_eq!(r["summary"]["findings"], 1);
}

#[test]
fn invalid_utf8_and_a_huge_minified_line_do_not_break_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 10);
    let mut bad = b"\xff\xfe\xc3\x28 ".to_vec();
    bad.extend_from_slice(tok.as_bytes());
    bad.extend_from_slice(b" \xe2\x82\n");
    write(dir.path(), "bad.txt", &bad);
    // One 20 MB line of minified code with "token" keywords all over it.
    let mut line = String::with_capacity(21 << 20);
    while line.len() < 20 << 20 {
        line.push_str("var a=function(t){return t.token+this.secret_key};");
    }
    line.push_str(&format!("var g=\"{}\";", github_token("ghp", 11)));
    write(dir.path(), "app.min.js", &line);
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let r = json(&out);
    assert_eq!(r["summary"]["findings"], 2, "{}", stdout(&out));
    let min = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["locations"].as_array().expect("locations"))
        .find(|l| l["path"] == "app.min.js")
        .expect("found in the minified file");
    assert_eq!(min["line"], 1);
    assert!(min["column"].as_u64().is_some_and(|c| c > 20 << 20));
}

#[test]
fn a_secret_across_a_chunk_boundary_is_found_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    // With --max-file-size 256K the file is read in 256 KiB chunks that
    // overlap by 64 KiB: put tokens across both kinds of boundary.
    let chunk = 256 * 1024;
    let owned = chunk - 64 * 1024;
    let filler_line = "let x = compute(value, other_value); // ordinary code\n";
    let mut content = String::new();
    let mut lines = 0;
    let place = |content: &mut String, lines: &mut usize, at: usize, tok: &str| {
        while content.len() + filler_line.len() < at - 10 {
            content.push_str(filler_line);
            *lines += 1;
        }
        while content.len() < at - 10 {
            content.push(' ');
        }
        content.push_str(tok);
        content.push('\n');
        *lines += 1;
        *lines
    };
    let t1 = github_token("ghp", 12);
    let t2 = github_token("ghp", 13);
    let l1 = place(&mut content, &mut lines, owned, &t1);
    let l2 = place(&mut content, &mut lines, chunk, &t2);
    while content.len() < 3 * chunk {
        content.push_str(filler_line);
    }
    write(dir.path(), "big.rs", &content);
    let out = run(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--show-secrets",
            "--max-file-size",
            "256K",
        ],
    );
    let r = json(&out);
    let findings = r["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{}", stdout(&out));
    for (tok, line) in [(&t1, l1), (&t2, l2)] {
        let f = findings
            .iter()
            .find(|f| f["secret"] == tok.as_str())
            .expect("token found");
        let locs = f["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), 1, "reported once");
        assert_eq!(locs[0]["line"], line as u64);
    }
}

#[cfg(unix)]
#[test]
fn fifos_do_not_hang_and_directory_links_are_not_followed() {
    let (dir, _) = tree_with_token();
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink(dir.path(), dir.path().join("src/loop")).expect("symlink");
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let r = json(&out);
    assert_eq!(r["summary"]["findings"], 1);
    assert!(
        r["summary"]["special_skipped"]
            .as_u64()
            .is_some_and(|n| n >= 1)
    );
    // A link to a directory (here a loop back to the root) is not followed:
    // the report says how many links were skipped.
    let notes = r["summary"]["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .is_some_and(|m| m.contains("1 symbolic links were not followed"))),
        "{notes:?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = tree_with_token();
    let p = write(dir.path(), "secret.txt", "x");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&p).is_ok() {
        eprintln!("running as root: permissions do not stop reads; skipping");
        return;
    }
    let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
    assert_eq!(r["summary"]["findings"], 1);
    let errors = r["summary"]["errors"].as_array().expect("errors");
    assert!(errors.iter().any(|e| {
        e["target"]
            .as_str()
            .is_some_and(|t| t.ends_with("secret.txt"))
    }));
}

#[test]
fn output_file_and_multiple_paths() {
    let (dir, _) = tree_with_token();
    let out = run(
        dir.path(),
        &["scan", "src", ".env", "-f", "json", "-o", "report.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("report.json")).expect("report written");
    let r: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(r["findings"][0]["reuse"]["locations"], 2);
}

#[test]
fn malformed_rule_file_names_file_rule_and_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "bad.toml",
        "[[rules]]\nid = \"my-rule\"\nname = \"x\"\nprovider = \"p\"\nkeywords = [\"abc\"]\npattern = '(?P<secret>abc['\nlifetime = \"static\"\nseverity = \"high\"\nexamples = [\"abc\"]\n",
    );
    let out = run(dir.path(), &["rules", "check", "--rules", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.toml") && err.contains("my-rule") && err.contains("pattern"),
        "{err}"
    );
}

/// A user rule file with one rule, `acme-key`.
const ACME_RULE: &str = r#"[[rules]]
id = "acme-key"
name = "Acme key"
provider = "acme"
keywords = ["acme_"]
pattern = '\b(?P<secret>acme_[a-z0-9]{16})\b'
lifetime = "static"
severity = "high"
examples = ["k = acme_q8x2lm9v4b7n1z3w"]
negative_examples = ["acme_short"]
"#;

#[test]
fn user_rules_extend_the_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/acme.toml", ACME_RULE);
    write(dir.path(), "src/x.txt", "k = acme_q8x2lm9v4b7n1z3w\n");
    let check = run(dir.path(), &["rules", "check", "--rules", "rules"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let out = run(
        dir.path(),
        &["scan", "src", "--rules", "rules", "-f", "json"],
    );
    assert_eq!(rule_ids(&json(&out)), vec!["acme-key"]);
}

#[test]
fn user_rule_hit_guards_work_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A guarded rule: `acme_` must be followed by 16 token bytes.
    write(
        dir.path(),
        "guarded/acme.toml",
        ACME_RULE.replace(
            "keywords = [\"acme_\"]\n",
            "keywords = [\"acme_\"]\nhit = \"token:16\"\n",
        ),
    );
    write(
        dir.path(),
        "src/x.txt",
        "k = acme_q8x2lm9v4b7n1z3w\nacme_ mentioned\nacme_q8x2lm9v4b7n1z3\n",
    );
    let check = run(dir.path(), &["rules", "check", "--rules", "guarded"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let out = run(
        dir.path(),
        &[
            "scan",
            "src",
            "--no-builtin-rules",
            "--rules",
            "guarded",
            "-f",
            "json",
        ],
    );
    let report = json(&out);
    assert_eq!(rule_ids(&report), vec!["acme-key"]);
    assert_eq!(report["findings"][0]["locations"][0]["line"], 1);
    // An unknown guard is an error that names the file and the value.
    write(
        dir.path(),
        "bad/x.toml",
        std::fs::read_to_string(dir.path().join("guarded/acme.toml"))
            .expect("rule file")
            .replace("token:16", "tokens"),
    );
    let out = run(dir.path(), &["rules", "check", "--rules", "bad"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("x.toml") && err.contains("tokens"), "{err}");
    // So is a window too large to search around every hit.
    write(
        dir.path(),
        "wide/y.toml",
        ACME_RULE.replace(
            "keywords = [\"acme_\"]\n",
            "keywords = [\"acme_\"]\nwindow = 100000000\n",
        ),
    );
    let out = run(dir.path(), &["scan", "src", "--rules", "wide"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("y.toml") && err.contains("window"), "{err}");
}

#[test]
fn a_typo_in_a_rule_s_validation_kind_checksum_or_tag_is_a_load_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/x.txt", "k = acme_q8x2lm9v4b7n1z3w\n");
    let cases = [
        (
            "kind.toml",
            format!("{ACME_RULE}[rules.validation]\nkind = \"postgress\"\n"),
            "postgress",
            &[
                "http",
                "aws",
                "gcp-service-account",
                "azure-storage",
                "unknown",
            ][..],
        ),
        (
            "checksum.toml",
            ACME_RULE.replace("lifetime =", "checksum = \"github-crc33\"\nlifetime ="),
            "github-crc33",
            &["github-crc32", "jwt", "grafana-crc32"][..],
        ),
        (
            "tags.toml",
            ACME_RULE.replace("lifetime =", "tags = [\"cloud\", \"clod\"]\nlifetime ="),
            "clod",
            &["cloud", "human-token", "url-credential"][..],
        ),
    ];
    for (file, text, typo, allowed) in cases {
        write(dir.path(), &format!("bad/{file}"), &text);
        let rules = format!("bad/{file}");
        for args in [
            &["rules", "check", "--rules", &rules][..],
            &["scan", "src", "--rules", &rules][..],
        ] {
            let out = run(dir.path(), args);
            assert_eq!(out.status.code(), Some(2), "{file} {args:?}");
            let err = stderr(&out);
            assert!(
                err.contains(file) && err.contains("acme-key") && err.contains(typo),
                "{err}"
            );
            for name in allowed {
                assert!(err.contains(name), "{file}: {name} not listed: {err}");
            }
        }
    }
    // The same rule spelled right loads and passes.
    write(
        dir.path(),
        "good/acme.toml",
        format!("{ACME_RULE}[rules.validation]\nkind = \"unknown\"\n")
            .replace("lifetime =", "tags = [\"cloud\"]\nlifetime ="),
    );
    let out = run(dir.path(), &["rules", "check", "--rules", "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_part_is_shown_in_clear_only_when_its_rule_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rule = ACME_RULE
        .replace("lifetime =", "shown = [\"region\"]\nlifetime =")
        .replace(
            "pattern = '\\b(?P<secret>",
            "pattern = '\\b(?:(?P<region>[a-z]{2}-[a-z]+):)?(?P<secret>",
        )
        + "[[rules.companions]]\nname = \"account\"\npattern = 'acct=(?P<value>[a-z]+)'\nshown = true\n\
         [[rules.companions]]\nname = \"client_id\"\npattern = 'client=(?P<value>[a-z]+)'\n";
    write(dir.path(), "rules/acme.toml", rule);
    write(
        dir.path(),
        "src/x.txt",
        "acct=wonderland client=rabbithole\nk = eu-west:acme_q8x2lm9v4b7n1z3w\n",
    );
    let out = run(
        dir.path(),
        &[
            "scan",
            "src",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "-f",
            "json",
        ],
    );
    let r = json(&out);
    let parts: std::collections::HashMap<String, String> = r["findings"][0]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("").to_string(),
                p["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(parts["account"], "wonderland", "{r:#}");
    assert_eq!(parts["region"], "eu-west", "{r:#}");
    assert_ne!(parts["client_id"], "rabbithole", "not shown: redacted");
    assert!(!stdout(&out).contains("rabbithole"));
}

#[test]
fn embedded_rules_all_pass_their_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["rules", "check", "--json"]);
    let r = json(&out);
    assert_eq!(
        r["failures"].as_array().map(Vec::len),
        Some(0),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_list_json_has_the_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = json(&run(dir.path(), &["rules", "list", "--format", "json"]));
    let rules = r.as_array().expect("array");
    assert!(!rules.is_empty());
    for rule in rules {
        for field in [
            "id", "name", "provider", "keywords", "pattern", "lifetime", "severity", "examples",
        ] {
            assert!(!rule[field].is_null(), "rule {} lacks {field}", rule["id"]);
        }
    }
}

#[test]
fn the_noise_corpus_raises_no_alarm() {
    // testdata/noise: realistic code, configs, lock files, docs, fixtures
    // marked fake, public keys and certificates — and no real secret.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        root,
        &["scan", "testdata/noise", "-f", "json", "--no-ignore"],
    );
    let r = json(&out);
    assert_eq!(
        r["summary"]["findings"], 0,
        "false alarms on the noise corpus: {:#}",
        r["findings"]
    );
    assert!(
        r["summary"]["files_scanned"]
            .as_u64()
            .is_some_and(|n| n >= 20)
    );
}

#[test]
fn kubernetes_secret_data_is_decoded_and_scanned() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 42);
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    write(
        dir.path(),
        "k8s/secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  token: {}\n  db-password: {}\n",
            b64(&tok),
            b64("Xq9#mZ2$vL7wR4pT")
        ),
    );
    let r = json(&run(
        dir.path(),
        &["scan", ".", "-f", "json", "--show-secrets"],
    ));
    let found: Vec<(String, u64)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"]["id"].as_str().expect("id").to_string(),
                f["locations"][0]["line"].as_u64().expect("line"),
            )
        })
        .collect();
    assert!(found.contains(&("github-pat".to_string(), 7)), "{found:?}");
    assert!(
        found.contains(&("config-k8s-secret-data".to_string(), 8)),
        "{found:?}"
    );
    assert_eq!(found.len(), 2, "one finding per value: {found:?}");
    let gh = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"]["id"] == "github-pat")
        .expect("gh");
    assert_eq!(
        gh["secret"],
        tok.as_str(),
        "the decoded token is the secret"
    );
}
