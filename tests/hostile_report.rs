//! What a reader of the report sees when the scanned content is hostile:
//! forged text, secrets in "descriptive" parts, weak passwords behind a
//! fingerprint, millions of hits, huge CI files.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::*;

/// How long a run may take before it counts as hung (far beyond any
/// reasonable run; `run_env` kills it and fails).
const HANG: Duration = Duration::from_secs(600);

/// A config dir of its own, so no test writes a key into the real home.
fn xdg() -> tempfile::TempDir {
    tempfile::tempdir().expect("xdg tempdir")
}

fn all_formats(dir: &Path, env: &[(&str, &str)]) -> Vec<(String, String)> {
    ["text", "json", "jsonl", "sarif"]
        .iter()
        .map(|f| {
            let out = run_env(dir, &["scan", ".", "--format", f], env, HANG);
            (f.to_string(), format!("{}{}", stdout(&out), stderr(&out)))
        })
        .collect()
}

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

/// A token in the user position of a URL is not shown because the part is
/// called `user`; a real user name still is.
#[test]
fn no_part_shown_in_clear_is_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let tok = github_token("ghp", 503);
    write(
        dir.path(),
        "deploy.sh",
        format!(
            "git clone https://{tok}:x-oauth-basic@github.com/org/repo.git\n\
             DB=https://alice:S3cr3tPassw0rd@db.corp.local/app\n"
        ),
    );
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    for (format, out) in all_formats(dir.path(), &env) {
        assert!(!out.contains(&tok), "{format} shows the token: {out}");
        assert!(
            !out.contains("S3cr3tPassw0rd"),
            "{format} shows the password"
        );
    }
    let out = run_env(dir.path(), &["scan", ".", "--format", "json"], &env, HANG);
    let r = json(&out);
    let parts: Vec<(String, String)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["parts"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_string(),
                p["value"].as_str().expect("value").to_string(),
            )
        })
        .collect();
    assert!(
        parts.iter().any(|(n, v)| n == "user" && v == "alice"),
        "a plain user name stays visible: {parts:?}"
    );
    assert!(
        parts.iter().any(|(n, v)| n == "host" && v == "github.com"),
        "{parts:?}"
    );
    assert!(
        parts
            .iter()
            .filter(|(n, _)| n == "user")
            .all(|(_, v)| v == "alice" || (v != &tok && v.contains("****"))),
        "the token in the user position is redacted: {parts:?}"
    );
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// A weak password is neither hashed unsalted nor shown by its ends.
#[test]
fn a_weak_password_cannot_be_recovered_from_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    write(dir.path(), "settings.py", "password = \"Winter2023!\"\n");
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let unsalted = sha256_hex("Winter2023!");
    let found = run_env(dir.path(), &["scan", ".", "--format", "json"], &env, HANG);
    assert_eq!(json(&found)["findings"].as_array().map(Vec::len), Some(1));
    for (format, out) in all_formats(dir.path(), &env) {
        assert!(!out.contains("Winter2023!"), "{format}");
        assert!(
            !out.contains(&unsalted[..16]),
            "{format} has the unsalted hash"
        );
        assert!(
            !out.contains("W*") && !out.contains("*!") && !out.contains("*3"),
            "{format} shows the password's first or last characters: {out}"
        );
    }
    // With the opt-in, the weak fingerprint is public (stable anywhere).
    let public = run_env(
        dir.path(),
        &["scan", ".", "--format", "json"],
        &[("KEYSPRAWL_PUBLIC_FINGERPRINTS", "1")],
        HANG,
    );
    let f = &json(&public)["findings"][0];
    assert_eq!(f["fingerprint_key"], "public");
    assert_ne!(f["fingerprint"], unsalted.as_str());
}

fn findings_of(out: &Output) -> Vec<serde_json::Value> {
    json(out)["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A report used as the baseline silences everything it lists on the next
/// run: provider tokens on any machine, weak passwords wherever the key is.
#[test]
fn baselines_keep_working_across_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 504);
    write(dir.path(), "app.env", format!("TOKEN={tok}\n"));
    write(dir.path(), "settings.py", "password = \"Winter2023!\"\n");
    let base = dir.path().join("baseline.json");
    let base_s = base.to_str().expect("utf-8");
    let scan = ["scan", "app.env", "settings.py", "--format", "json"];
    let with_base = [&scan[..], &["--baseline", base_s]].concat();

    // CI: the key comes from the secret store; every run is a new machine.
    let key = [("KEYSPRAWL_FINGERPRINT_KEY", "ci-secret-7f3a")];
    let (m1, m2) = (xdg(), xdg());
    let e1 = [
        key[0],
        ("XDG_CONFIG_HOME", m1.path().to_str().expect("utf-8")),
    ];
    let e2 = [
        key[0],
        ("XDG_CONFIG_HOME", m2.path().to_str().expect("utf-8")),
    ];
    let first = run_env(dir.path(), &scan, &e1, HANG);
    assert_eq!(findings_of(&first).len(), 2);
    assert!(
        findings_of(&first)
            .iter()
            .any(|f| f["fingerprint_key"] == "env")
    );
    std::fs::write(&base, &first.stdout).expect("write baseline");
    let again = run_env(dir.path(), &with_base, &e2, HANG);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(findings_of(&again).is_empty(), "{}", stdout(&again));

    // No key at all, one machine: its key file keeps weak fingerprints stable.
    let e1 = [("XDG_CONFIG_HOME", m1.path().to_str().expect("utf-8"))];
    let first = run_env(dir.path(), &scan, &e1, HANG);
    let keyfile = m1.path().join("keysprawl/fingerprint.key");
    assert!(keyfile.is_file(), "a per-user key was made");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&keyfile)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is private: {mode:o}");
    }
    std::fs::write(&base, &first.stdout).expect("write baseline");
    let again = run_env(dir.path(), &with_base, &e1, HANG);
    assert!(findings_of(&again).is_empty(), "{}", stdout(&again));

    // No key, another machine: the provider token still matches; the weak
    // password, whose fingerprint needs a key, is reported and a note says why.
    let e2 = [("XDG_CONFIG_HOME", m2.path().to_str().expect("utf-8"))];
    let other = run_env(dir.path(), &with_base, &e2, HANG);
    let left = findings_of(&other);
    assert_eq!(left.len(), 1, "{}", stdout(&other));
    assert_eq!(left[0]["rule"]["id"], "generic-password");
    let notes = json(&other)["summary"]["notes"].to_string();
    assert!(notes.contains("KEYSPRAWL_FINGERPRINT_KEY"), "{notes}");
}

/// One file holding a token hundreds of thousands of times: the report
/// lists at most the cap, says how many more there are, and counts them all.
#[test]
fn a_file_of_one_repeated_token_gives_a_bounded_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let tok = github_token("ghp", 505);
    let line = format!("TOKEN={tok}\n");
    let n = 20 * 1024 * 1024 / line.len();
    write(dir.path(), "dump.txt", line.repeat(n));
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let out = run_env(dir.path(), &["scan", ".", "--format", "json"], &env, HANG);
    let r = json(&out);
    let f = &r["findings"][0];
    let locs = f["locations"].as_array().expect("locations");
    assert_eq!(locs.len(), 1000, "the default cap");
    assert_eq!(f["locations_omitted"], n - 1000);
    assert_eq!(f["reuse"]["locations"], n, "reuse counts every location");
    assert_eq!(f["reuse"]["files"], 1);
    // The earliest locations, in order: a deterministic selection.
    assert_eq!(locs[0]["line"], 1);
    assert_eq!(locs[999]["line"], 1000);
    assert!(out.stdout.len() < 2 * 1024 * 1024, "report stays small");
}

/// The cap in the text and SARIF reports, and a baseline made from a capped
/// report still covers every file.
#[test]
fn capped_reports_say_what_they_leave_out_and_baseline_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let tok = github_token("ghp", 506);
    for i in 0..5 {
        write(
            dir.path(),
            &format!("conf/{i}.env"),
            format!("A={tok}\nB={tok}\nC={tok}\n"),
        );
    }
    let xdg_path = x.path().to_str().expect("utf-8");
    let env = [
        ("XDG_CONFIG_HOME", xdg_path),
        ("KEYSPRAWL_MAX_LOCATIONS", "2"),
    ];
    let scan = ["scan", "conf", "--format", "json"];
    let out = run_env(dir.path(), &scan, &env, HANG);
    let r = json(&out);
    let f = &r["findings"][0];
    assert_eq!(f["locations"].as_array().map(Vec::len), Some(2));
    assert_eq!(f["locations_omitted"], 13);
    assert_eq!(f["reuse"]["files"], 5);
    assert_eq!(f["reuse"]["locations"], 15);
    assert_eq!(f["omitted_paths"].as_array().map(Vec::len), Some(3));

    let text = run_env(dir.path(), &["scan", "conf"], &env, HANG);
    assert!(
        stdout(&text).contains("… and 13 more locations"),
        "{}",
        stdout(&text)
    );
    let sarif = run_env(
        dir.path(),
        &["scan", "conf", "--format", "sarif"],
        &env,
        HANG,
    );
    let s = json(&sarif);
    let results = s["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["properties"]["locationsOmitted"], 13);

    let base = dir.path().join("base.json");
    std::fs::write(&base, &out.stdout).expect("baseline");
    let base_s = base.to_str().expect("utf-8");
    let again = run_env(
        dir.path(),
        &[&scan[..], &["--baseline", base_s]].concat(),
        &env,
        HANG,
    );
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert_eq!(json(&again)["summary"]["suppressed"], 15);
}

/// 8,000 hardcoded tokens in one workflow: each is placed in its job and
/// step (one parse of the file, not one per location).
#[test]
fn ci_attribution_of_thousands_of_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let mut wf = String::from("on: push\njobs:\n");
    let toks: Vec<String> = (0..8000).map(|i| github_token("ghp", 10_000 + i)).collect();
    for (job, range) in [("build", 0..4000), ("deploy", 4000..8000)] {
        wf.push_str(&format!(
            "  {job}:\n    runs-on: ubuntu-latest\n    steps:\n"
        ));
        for i in range {
            wf.push_str(&format!(
                "      - name: step-{i}\n        run: echo {}\n",
                toks[i]
            ));
        }
    }
    write(dir.path(), ".github/workflows/ci.yml", &wf);
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let out = run_env(
        dir.path(),
        &["scan", ".", "--format", "json"],
        &env,
        Duration::from_secs(300),
    );
    let findings = findings_of(&out);
    // Token 4171 reads `ghp_OeFakE…`, which the matcher takes for a
    // placeholder; every other one is found.
    assert_eq!(findings.len(), 7999);
    let fp = |t: &str| keysprawl::findings::fingerprint(t.as_bytes());
    for (i, job) in [
        (0, "build"),
        (3999, "build"),
        (4000, "deploy"),
        (7999, "deploy"),
    ] {
        let f = findings
            .iter()
            .find(|f| f["fingerprint"] == fp(&toks[i]).as_str())
            .expect("finding for the token");
        let ci = &f["locations"][0]["ci"];
        assert_eq!(ci["job"], job, "token {i}");
        assert_eq!(ci["step"], format!("step-{i}"), "token {i}");
    }
}

/// Deeply nested YAML in a CI file is read within bounds, not a crash.
#[test]
fn deeply_nested_ci_yaml_does_not_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let tok = github_token("ghp", 507);
    let mut wf = format!("on: push\nenv:\n  T: {tok}\njobs:\n");
    for i in 0..3000 {
        wf.push_str(&" ".repeat(i + 2));
        wf.push_str(&format!("k{i}:\n"));
    }
    write(dir.path(), ".github/workflows/deep.yml", &wf);
    write(
        dir.path(),
        ".github/workflows/flow.yml",
        format!(
            "on: push\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    write(
        dir.path(),
        ".github/workflows/dashes.yml",
        format!("on: push\nx:\n  {}v\n", "- ".repeat(100_000)),
    );
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let out = run_env(dir.path(), &["scan", ".", "--format", "json"], &env, HANG);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings_of(&out).len(), 1);
}

/// Errors name their target escaped too: a file name that is an escape
/// sequence cannot recolour or rewrite the terminal through stderr.
#[cfg(unix)]
#[test]
fn error_targets_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    let name = "cfg\x1b[31m\u{202e}x.toml";
    write(dir.path(), name, "[allow\n");
    write(dir.path(), "a.txt", "x\n");
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let out = run_env(dir.path(), &["scan", ".", "--config", name], &env, HANG);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        !text.contains('\x1b') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("cfg\\x1b[31m"), "{text}");
}

/// Under the cap, a work-tree file and the HEAD blob it matches still count
/// once, and exposure comes from every location, listed or not.
#[test]
fn capped_history_counts_each_location_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    git_init(dir.path());
    let tok = github_token("ghp", 508);
    write(dir.path(), "old.env", format!("T={tok}\n"));
    commit_at(dir.path(), "old", "2020-01-01T00:00:00Z");
    write(dir.path(), "dump.txt", format!("T={tok}\n").repeat(3000));
    commit_at(dir.path(), "dump", "2024-01-01T00:00:00Z");
    let env = [
        ("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8")),
        ("KEYSPRAWL_MAX_LOCATIONS", "100"),
    ];
    let out = run_env(
        dir.path(),
        &["scan", ".", "--history", "--format", "json"],
        &env,
        HANG,
    );
    let f = &findings_of(&out)[0];
    assert_eq!(f["reuse"]["locations"], 3001, "{}", f["reuse"]);
    assert_eq!(f["reuse"]["files"], 2);
    assert_eq!(f["locations_omitted"], 2901);
    let locs = f["locations"].as_array().expect("locations");
    assert!(
        locs.iter().any(|l| l["path"] == "old.env"),
        "every file listed"
    );
    assert!(
        locs.iter().all(|l| l["source"] == "git"),
        "HEAD wins over the work tree"
    );
    assert!(
        f["credential"]["first_seen"]
            .as_str()
            .is_some_and(|d| d.starts_with("2020-01-01")),
        "{}",
        f["credential"]
    );
    // The same tree given twice is one set of locations.
    let twice = run_env(
        dir.path(),
        &["scan", ".", ".", "--format", "json"],
        &env,
        HANG,
    );
    assert_eq!(findings_of(&twice)[0]["reuse"]["locations"], 3001);
}

/// A baseline written by keysprawl before keyed fingerprints (plain
/// SHA-256) still silences what it lists.
#[test]
fn an_old_sha256_baseline_still_matches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let x = xdg();
    write(dir.path(), "settings.py", "password = \"Winter2023!\"\n");
    let old = serde_json::json!({
        "findings": [{
            "fingerprint": sha256_hex("Winter2023!"),
            "locations": [{"path": "settings.py"}]
        }]
    });
    let base = dir.path().join("old.json");
    std::fs::write(&base, old.to_string()).expect("baseline");
    let env = [("XDG_CONFIG_HOME", x.path().to_str().expect("utf-8"))];
    let base_s = base.to_str().expect("utf-8");
    let out = run_env(
        dir.path(),
        &[
            "scan",
            "settings.py",
            "--format",
            "json",
            "--baseline",
            base_s,
        ],
        &env,
        HANG,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(json(&out)["summary"]["suppressed"], 1);
}
